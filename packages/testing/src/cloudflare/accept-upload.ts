import type { RouteContext } from "./context.js";
import { ApiFailure, newId } from "./envelope.js";
import { uploadedAssets } from "./routes-assets.js";
import { type MetadataBinding, now, type ScriptRecord, type VersionRecord } from "./state.js";
import { exportsOf, migratedClasses, type ParsedUpload, validateBindings } from "./upload.js";

/**
 * Accepts a Worker upload as the real API does: checks the migrations and every binding
 * against what the upload exports and what the account holds, resolves `inherit` bindings
 * and secrets, takes the static assets of a finished assets upload, and stores a new
 * version. Nothing changes when a check fails. (Workflows are created apart, by
 * `PUT /workflows/:name`, as wrangler does after the upload.)
 */
export async function acceptUpload(context: RouteContext, name: string, upload: ParsedUpload): Promise<VersionRecord> {
  const { account } = context;
  const existing = account.scripts.get(name);
  const main = upload.modules.find((m) => m.name === upload.mainModule);
  const exported = main ? await exportsOf(main) : new Set<string>();
  const { tag, classes } = migratedClasses(existing, upload.metadata.migrations);
  const previous = existing ? existing.versions.at(-1) : undefined;

  const secrets = new Map<string, string>();
  const bindings: MetadataBinding[] = [];
  const problems: { code: number; message: string }[] = [];
  for (const binding of upload.metadata.bindings ?? []) {
    if (binding.type === "secret_text") {
      secrets.set(binding.name, String(binding.text ?? ""));
    } else if (binding.type === "inherit") {
      const from = previous?.bindings.find((b) => b.name === binding.name);
      if (from) bindings.push(from);
      else if (!existing?.secrets.has(binding.name)) {
        problems.push({
          code: 10057,
          message: `inherit binding '${binding.name}' is invalid: there is no binding of that name on the previous version`,
        });
      }
    } else {
      bindings.push(binding);
    }
  }
  // Vars of the previous version survive only with keep_bindings (secrets always do).
  const keep = new Set(upload.metadata.keep_bindings ?? []);
  for (const old of previous?.bindings ?? []) {
    if (keep.has(old.type) && !bindings.some((b) => b.name === old.name) && !secrets.has(old.name)) bindings.push(old);
  }
  if (problems.length > 0) throw new ApiFailure(400, problems);
  validateBindings(account, name, bindings, exported, classes);
  const assets = uploadedAssets(account, name, upload.metadata.assets);

  const at = now();
  const script: ScriptRecord = existing ?? {
    name,
    tag: newId(),
    created_on: at,
    modified_on: at,
    versions: [],
    deployments: [],
    classes: new Map(),
    secrets: new Map(),
    subdomainEnabled: false,
  };
  const version: VersionRecord = {
    id: newId(true),
    number: script.versions.length + 1,
    created_on: at,
    mainModule: upload.mainModule,
    modules: upload.modules,
    compatibilityDate: upload.metadata.compatibility_date ?? "2021-01-01",
    compatibilityFlags: upload.metadata.compatibility_flags ?? [],
    bindings,
    ...(assets ? { assets } : {}),
  };
  script.versions.push(version);
  script.modified_on = at;
  script.classes = classes;
  if (tag !== undefined) script.migrationTag = tag;
  for (const [secret, value] of secrets) script.secrets.set(secret, value);
  account.scripts.set(name, script);
  return version;
}

/** Deploys a version to 100% and restarts the account's runtime with it. */
export async function deployVersion(context: RouteContext, script: ScriptRecord, versionId: string, message?: string) {
  const deployment = { id: newId(true), created_on: now(), versionId, ...(message ? { message } : {}) };
  script.deployments.push(deployment);
  await context.runtime.refresh();
  return deployment;
}
