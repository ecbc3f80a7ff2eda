import type { IRequest } from "itty-router";
import { authorize } from "./auth.js";
import { accountOf, type RouteContext, type StandInRouter } from "./context.js";
import { fail, jsonBody, ok } from "./envelope.js";
import { type BucketRecord, now } from "./state.js";

const BASE = "/accounts/:account/r2/buckets";

/** R2: buckets (list, create, get, delete) and the object list/delete used to empty one. */
export function r2Routes(router: StandInRouter): void {
  router.get(BASE, (request, context) => {
    authorize(context.caller, "r2:edit");
    const jurisdiction = jurisdictionOf(request);
    const buckets = [...accountOf(request, context).buckets.values()].filter((b) => b.jurisdiction === jurisdiction);
    return ok({ buckets: buckets.map(view) });
  });

  router.post(BASE, async (request, context) => {
    authorize(context.caller, "r2:edit");
    const account = accountOf(request, context);
    const body = await jsonBody<{ name?: string; locationHint?: string }>(request);
    const name = body.name ?? "";
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) fail(400, 10005, "The bucket name is not valid.");
    if (account.buckets.has(name)) fail(409, 10004, "The bucket you tried to create already exists, and you own it.");
    const jurisdiction = jurisdictionOf(request);
    const bucket: BucketRecord = {
      name,
      creation_date: now(),
      ...(body.locationHint ? { location: body.locationHint.toUpperCase() } : {}),
      ...(jurisdiction ? { jurisdiction } : {}),
    };
    account.buckets.set(name, bucket);
    await context.runtime.refresh();
    return ok(view(bucket));
  });

  router.get(`${BASE}/:bucket`, (request, context) => ok(view(bucketOf(request, context))));

  router.delete(`${BASE}/:bucket`, async (request, context) => {
    const bucket = bucketOf(request, context);
    const listed = await (await context.runtime.r2(bucket.name)).list({ limit: 1 });
    if (listed.objects.length > 0) fail(409, 10008, "The bucket you tried to delete is not empty.");
    context.account.buckets.delete(bucket.name);
    await context.runtime.refresh();
    return ok({});
  });

  router.get(`${BASE}/:bucket/objects`, async (request, context) => {
    const bucket = bucketOf(request, context);
    const url = new URL(request.url);
    const listed = await (await context.runtime.r2(bucket.name)).list({
      limit: Math.min(Number(url.searchParams.get("per_page") ?? 1000), 1000),
      ...(url.searchParams.get("cursor") ? { cursor: url.searchParams.get("cursor") as string } : {}),
    });
    return ok(
      listed.objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag, last_modified: o.uploaded.toISOString() })),
      {
        cursor: listed.truncated ? listed.cursor : "",
        is_truncated: listed.truncated,
        per_page: listed.objects.length,
      },
    );
  });

  router.delete(`${BASE}/:bucket/objects/:key+`, async (request, context) => {
    const bucket = bucketOf(request, context);
    const key = decodeURIComponent(request.params.key ?? "");
    await (await context.runtime.r2(bucket.name)).delete(key);
    return ok({ key });
  });
}

function jurisdictionOf(request: IRequest): string | undefined {
  const value = request.headers.get("cf-r2-jurisdiction");
  return value && value !== "default" ? value : undefined;
}

function bucketOf(request: IRequest, context: RouteContext): BucketRecord {
  authorize(context.caller, "r2:edit");
  const bucket = accountOf(request, context).buckets.get(request.params.bucket ?? "");
  if (!bucket || bucket.jurisdiction !== jurisdictionOf(request)) {
    fail(404, 10006, "The specified bucket does not exist.");
  }
  return bucket;
}

function view(bucket: BucketRecord) {
  return {
    name: bucket.name,
    creation_date: bucket.creation_date,
    location: bucket.location ?? "WEUR",
    storage_class: "Standard",
    ...(bucket.jurisdiction ? { jurisdiction: bucket.jurisdiction } : {}),
  };
}
