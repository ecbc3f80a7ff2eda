import type { IRequest } from "itty-router";
import { acceptUpload, deployVersion } from "./accept-upload.js";
import { authorize } from "./auth.js";
import { accountOf, type RouteContext, type StandInRouter } from "./context.js";
import { fail, jsonBody, newId, ok } from "./envelope.js";
import { deployedVersion, now, type ScriptRecord, type VersionRecord } from "./state.js";
import { parseUpload } from "./upload.js";

const SCRIPTS = "/accounts/:account/workers/scripts";

/** Workers scripts: upload, versions, deployments, settings, secrets, workers.dev, delete. */
export function scriptRoutes(router: StandInRouter): void {
  router.get("/accounts/:account/workers/subdomain", (request, context) => {
    authorize(context.caller, "workers:edit");
    return ok({ subdomain: accountOf(request, context).subdomain });
  });

  router.get(SCRIPTS, (request, context) => {
    authorize(context.caller, "workers:edit");
    return ok([...accountOf(request, context).scripts.values()].map(scriptView));
  });

  router.get("/accounts/:account/workers/services/:name", (request, context) => {
    const script = scriptOf(request, context);
    return ok({
      id: script.name,
      default_environment: { environment: "production", script: { ...scriptView(script), tags: null } },
    });
  });

  router.put(`${SCRIPTS}/:name`, async (request, context) => {
    authorize(context.caller, "workers:edit");
    accountOf(request, context);
    const name = String(request.params.name);
    const version = await acceptUpload(context, name, await parseUpload(request));
    const script = context.account.scripts.get(name) as ScriptRecord;
    await deployVersion(context, script, version.id);
    return ok({ ...scriptView(script), deployment_id: version.id, startup_time_ms: 1 });
  });

  router.post(`${SCRIPTS}/:name/versions`, async (request, context) => {
    const script = scriptOf(request, context);
    const version = await acceptUpload(context, script.name, await parseUpload(request));
    return ok({ ...versionView(version), resources: { script: { etag: script.tag } }, startup_time_ms: 1 });
  });

  router.get(`${SCRIPTS}/:name/versions`, (request, context) =>
    ok({ items: scriptOf(request, context).versions.map(versionView).reverse() }),
  );

  router.get(`${SCRIPTS}/:name/versions/:version`, (request, context) => {
    const version = scriptOf(request, context).versions.find((v) => v.id === request.params.version);
    if (!version) fail(404, 10220, "The version does not exist.");
    return ok(versionView(version));
  });

  router.post(`${SCRIPTS}/:name/deployments`, async (request, context) => {
    const script = scriptOf(request, context);
    const body = await jsonBody<{
      versions?: { version_id: string; percentage: number }[];
      annotations?: Record<string, string>;
    }>(request);
    const target = body.versions?.find((v) => v.percentage === 100);
    if (!target || !script.versions.some((v) => v.id === target.version_id)) {
      fail(400, 10218, "The stand-in deploys exactly one existing version at 100%.");
    }
    const deployment = await deployVersion(context, script, target.version_id, body.annotations?.["workers/message"]);
    return ok(deploymentView(deployment));
  });

  router.get(`${SCRIPTS}/:name/deployments`, (request, context) =>
    ok({ deployments: scriptOf(request, context).deployments.map(deploymentView).reverse() }),
  );

  router.get(`${SCRIPTS}/:name/subdomain`, (request, context) => {
    const script = scriptOf(request, context);
    return ok({ enabled: script.subdomainEnabled, previews_enabled: script.subdomainEnabled });
  });

  router.post(`${SCRIPTS}/:name/subdomain`, async (request, context) => {
    const script = scriptOf(request, context);
    const body = await jsonBody<{ enabled?: boolean }>(request);
    script.subdomainEnabled = Boolean(body.enabled);
    await context.runtime.refresh();
    return ok({ enabled: script.subdomainEnabled, previews_enabled: script.subdomainEnabled });
  });

  router.get(`${SCRIPTS}/:name/settings`, (request, context) => {
    const script = scriptOf(request, context);
    const version = deployedVersion(script);
    return ok({
      bindings: [
        ...(version?.bindings ?? []),
        ...[...script.secrets.keys()].map((name) => ({ type: "secret_text", name })),
      ],
      compatibility_date: version?.compatibilityDate,
      compatibility_flags: version?.compatibilityFlags ?? [],
    });
  });

  // `wrangler secret bulk`: the bindings to keep by {type, name}, the secrets to set in full.
  router.patch(`${SCRIPTS}/:name/settings`, async (request, context) => {
    const script = scriptOf(request, context);
    const current = deployedVersion(script);
    if (!current) fail(400, 10021, "The Worker has no deployed version.");
    const form = await request.formData();
    const part = form.get("settings");
    const settings = JSON.parse(typeof part === "string" ? part : String(await part?.text())) as {
      bindings?: { type: string; name: string; text?: string }[];
    };
    const wanted = settings.bindings ?? [];
    const secrets = new Map<string, string>();
    const bindings = [];
    for (const binding of wanted) {
      if (binding.type === "secret_text" && binding.text !== undefined) secrets.set(binding.name, binding.text);
      else if (binding.type === "secret_text" && script.secrets.has(binding.name)) {
        secrets.set(binding.name, script.secrets.get(binding.name) as string);
      } else {
        const kept = current.bindings.find((b) => b.name === binding.name && b.type === binding.type);
        if (!kept) fail(400, 10057, `inherit binding '${binding.name}' is invalid: the Worker has no such binding`);
        bindings.push(kept);
      }
    }
    const version = { ...current, id: newId(true), number: script.versions.length + 1, created_on: now(), bindings };
    script.versions.push(version);
    script.secrets = secrets;
    await deployVersion(context, script, version.id);
    return ok({ bindings: [...bindings, ...[...secrets.keys()].map((name) => ({ type: "secret_text", name }))] });
  });

  router.patch(`${SCRIPTS}/:name/script-settings`, async (request, context) => {
    scriptOf(request, context);
    return ok(await jsonBody<Record<string, unknown>>(request));
  });

  router.get(`${SCRIPTS}/:name/secrets`, (request, context) =>
    ok([...scriptOf(request, context).secrets.keys()].map((name) => ({ name, type: "secret_text" }))),
  );

  router.put(`${SCRIPTS}/:name/secrets`, async (request, context) => {
    const script = scriptOf(request, context);
    const body = await jsonBody<{ name?: string; text?: string; type?: string }>(request);
    if (!body.name || body.type !== "secret_text") fail(400, 10021, "a secret needs a name and type secret_text");
    script.secrets.set(body.name, body.text ?? "");
    await context.runtime.refresh();
    return ok({ name: body.name, type: "secret_text" });
  });

  router.delete(`${SCRIPTS}/:name/secrets/:secret`, async (request, context) => {
    const script = scriptOf(request, context);
    if (!script.secrets.delete(String(request.params.secret))) fail(404, 10056, "The secret does not exist.");
    await context.runtime.refresh();
    return ok(null);
  });

  router.get("/accounts/:account/storage/kv/namespaces", (request, context) => {
    authorize(context.caller, "workers:edit");
    accountOf(request, context);
    return ok([]);
  });

  router.delete(`${SCRIPTS}/:name`, deleteScript);
  router.delete("/accounts/:account/workers/services/:name", deleteScript);
}

async function deleteScript(request: IRequest, context: RouteContext): Promise<Response> {
  const script = scriptOf(request, context);
  const { account } = context;
  const dependents = [...account.scripts.values()].filter(
    (s) => s !== script && deployedVersion(s)?.bindings.some((b) => b.script_name === script.name),
  );
  if (dependents.length > 0 && new URL(request.url).searchParams.get("force") !== "true") {
    fail(400, 10064, `Cannot delete this Worker: ${dependents.map((s) => s.name).join(", ")} bind to it.`);
  }
  account.scripts.delete(script.name);
  for (const [name, workflow] of account.workflows)
    if (workflow.script_name === script.name) account.workflows.delete(name);
  await context.runtime.refresh();
  return ok(null);
}

function scriptOf(request: IRequest, context: RouteContext): ScriptRecord {
  authorize(context.caller, "workers:edit");
  const script = accountOf(request, context).scripts.get(String(request.params.name));
  if (!script) fail(404, 10007, "This Worker does not exist on your account.");
  return script;
}

function scriptView(script: ScriptRecord) {
  return {
    id: script.name,
    tag: script.tag,
    etag: script.tag,
    created_on: script.created_on,
    modified_on: script.modified_on,
    last_deployed_from: "wrangler",
    ...(script.migrationTag ? { migration_tag: script.migrationTag } : {}),
  };
}

function versionView(version: VersionRecord) {
  return {
    id: version.id,
    number: version.number,
    metadata: { created_on: version.created_on, modified_on: version.created_on, source: "wrangler" },
    annotations: {},
  };
}

function deploymentView(deployment: { id: string; created_on: string; versionId: string; message?: string }) {
  return {
    id: deployment.id,
    source: "wrangler",
    strategy: "percentage",
    author_email: "owner@example.test",
    created_on: deployment.created_on,
    versions: [{ version_id: deployment.versionId, percentage: 100 }],
    ...(deployment.message ? { annotations: { "workers/message": deployment.message } } : {}),
  };
}
