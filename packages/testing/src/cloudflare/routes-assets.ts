import { authorize } from "./auth.js";
import { accountOf, type StandInRouter } from "./context.js";
import { fail, jsonBody, newId, ok } from "./envelope.js";
import type { AccountState, AssetManifest, AssetUploadSession, VersionAssets } from "./state.js";
import type { UploadMetadata } from "./upload.js";

/** Files per upload bucket (wrangler sends one multipart request per bucket). */
const BUCKET_SIZE = 20;

/**
 * Workers Static Assets, as wrangler's deploy uses them: an upload session for the manifest
 * answers which files the account lacks, in buckets; each bucket is POSTed (base64, one part
 * per hash) with the session's token; the last one returns the completion token, which the
 * Worker upload's `metadata.assets.jwt` names.
 */
export function assetRoutes(router: StandInRouter): void {
  router.post("/accounts/:account/workers/scripts/:name/assets-upload-session", async (request, context) => {
    authorize(context.caller, "workers:edit");
    const account = accountOf(request, context);
    const { manifest } = await jsonBody<{ manifest?: unknown }>(request);
    const checked = checkManifest(manifest);
    const missing = new Set(Object.values(checked).map((f) => f.hash));
    for (const hash of missing) if (account.assetBlobs.has(hash)) missing.delete(hash);
    const session: AssetUploadSession = {
      script: String(request.params.name),
      manifest: checked,
      missing,
      completionToken: `assets-done-${newId()}`,
    };
    const hashes = [...missing];
    if (hashes.length === 0) {
      account.assetSessions.set(session.completionToken, session);
      return ok({ jwt: session.completionToken, buckets: [] });
    }
    const uploadToken = `assets-upload-${newId()}`;
    account.assetSessions.set(uploadToken, session);
    const buckets: string[][] = [];
    for (let i = 0; i < hashes.length; i += BUCKET_SIZE) buckets.push(hashes.slice(i, i + BUCKET_SIZE));
    return ok({ jwt: uploadToken, buckets });
  });

  // Authorized by the session's upload token, not by an API token (as the real endpoint is).
  router.post("/accounts/:account/workers/assets/upload", async (request, context) => {
    const account = accountOf(request, context);
    const token = /^Bearer\s+(\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    const session = token ? account.assetSessions.get(token) : undefined;
    if (!session || session.completionToken === token) fail(401, 10001, "Unable to authenticate request");
    if (new URL(request.url).searchParams.get("base64") !== "true") {
      fail(400, 10021, "the stand-in takes asset files base64-encoded (?base64=true), as wrangler sends them");
    }
    const form = await request.formData();
    const sizes = new Map(Object.values(session.manifest).map((f) => [f.hash, f.size]));
    const parts: [string, FormDataEntryValue][] = [];
    form.forEach((value, hash) => {
      parts.push([hash, value]);
    });
    // Every part is checked before any is stored. (The stand-in serves by file extension, as
    // Miniflare does, so the parts' content types are not kept.)
    const files: [string, Uint8Array][] = [];
    for (const [hash, value] of parts) {
      if (typeof value === "string") fail(400, 10021, `asset ${hash} is not a file part`);
      if (!sizes.has(hash)) fail(400, 10021, `asset ${hash} is not in the session's manifest`);
      const content = Buffer.from(await value.text(), "base64");
      if (content.byteLength !== sizes.get(hash)) {
        fail(400, 10021, `asset ${hash} is ${content.byteLength} bytes, the manifest says ${sizes.get(hash)}`);
      }
      files.push([hash, new Uint8Array(content)]);
    }
    for (const [hash, content] of files) {
      account.assetBlobs.set(hash, content);
      session.missing.delete(hash);
    }
    // 202 while files are missing, 201 with the completion token once the last one is stored.
    if (session.missing.size > 0) return withStatus(ok({}), 202);
    account.assetSessions.delete(token as string);
    account.assetSessions.set(session.completionToken, session);
    return withStatus(ok({ jwt: session.completionToken }), 201);
  });
}

/**
 * The assets of an upload's `metadata.assets`: its completion token must close a session of
 * this script with every file stored.
 */
export function uploadedAssets(
  account: AccountState,
  script: string,
  assets: UploadMetadata["assets"],
): VersionAssets | undefined {
  if (!assets) return undefined;
  const session = assets.jwt ? account.assetSessions.get(assets.jwt) : undefined;
  if (!session || session.completionToken !== assets.jwt || session.script !== script) {
    fail(400, 10021, "metadata.assets.jwt is not the completion token of this Worker's assets upload");
  }
  return { manifest: session.manifest, config: assets.config ?? {} };
}

function withStatus(response: Response, status: number): Response {
  return new Response(response.body, { status, headers: response.headers });
}

function checkManifest(manifest: unknown): AssetManifest {
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    fail(400, 10021, "the body needs a manifest object of path to {hash, size}");
  }
  for (const [path, entry] of Object.entries(manifest)) {
    const file = entry as { hash?: unknown; size?: unknown };
    if (!path.startsWith("/") || typeof file?.hash !== "string" || typeof file.size !== "number") {
      fail(400, 10021, `manifest entry ${path} needs a /path, a hash and a size`);
    }
  }
  return manifest as AssetManifest;
}
