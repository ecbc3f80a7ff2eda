import { init, parse } from "es-module-lexer";
import { ApiFailure, fail } from "./envelope.js";
import type { AccountState, AssetsConfig, MetadataBinding, ScriptRecord, UploadedModule } from "./state.js";

/** The `metadata` part of a Worker upload (the fields the stand-in reads). */
export interface UploadMetadata {
  main_module?: string;
  body_part?: string;
  bindings?: MetadataBinding[];
  compatibility_date?: string;
  compatibility_flags?: string[];
  keep_bindings?: string[];
  migrations?: {
    old_tag?: string;
    new_tag?: string;
    steps?: MigrationStep[];
  } & MigrationStep;
  assets?: { jwt?: string; config?: AssetsConfig };
}

interface MigrationStep {
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
}

export interface ParsedUpload {
  metadata: UploadMetadata;
  mainModule: string;
  modules: UploadedModule[];
}

/** Reads a multipart Worker upload: the `metadata` part and every module part. */
export async function parseUpload(request: Request): Promise<ParsedUpload> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    fail(400, 10001, `the upload is not multipart/form-data: ${(error as Error).message}`);
  }
  const raw = form.get("metadata");
  if (raw === null) fail(400, 10021, "Uncaught Error: No metadata part in the upload");
  let metadata: UploadMetadata;
  try {
    metadata = JSON.parse(typeof raw === "string" ? raw : await raw.text()) as UploadMetadata;
  } catch (error) {
    fail(400, 10021, `the metadata part is not JSON: ${(error as Error).message}`);
  }
  const modules: UploadedModule[] = [];
  const parts: [string, Blob][] = [];
  form.forEach((value, name) => {
    if (name !== "metadata" && typeof value !== "string") parts.push([name, value]);
  });
  for (const [name, value] of parts) {
    modules.push({ name, contentType: value.type, content: new Uint8Array(await value.arrayBuffer()) });
  }
  const mainModule = metadata.main_module ?? metadata.body_part;
  if (!mainModule) fail(400, 10021, "metadata names no main_module");
  if (!modules.some((m) => m.name === mainModule)) {
    fail(400, 10021, `No such module "${mainModule}": the main module is not part of the upload`);
  }
  return { metadata, mainModule, modules };
}

/** The names a module exports (static ES module analysis, as the API learns them at startup). */
export async function exportsOf(module: UploadedModule): Promise<Set<string>> {
  await init;
  const [, exports] = parse(new TextDecoder().decode(module.content));
  return new Set(exports.map((e) => e.n));
}

/** The classes the script declares after its migrations: what its DO bindings may name. */
export function migratedClasses(
  script: ScriptRecord | undefined,
  migrations: UploadMetadata["migrations"],
): { tag: string | undefined; classes: Map<string, "sqlite" | "kv"> } {
  const classes = new Map(script?.classes ?? []);
  let tag = script?.migrationTag;
  if (!migrations) return { tag, classes };
  if ((migrations.old_tag ?? undefined) !== tag) {
    fail(
      400,
      10079,
      `Migration tag precondition failed; current tag is '${tag ?? ""}', but old_tag is '${migrations.old_tag ?? ""}'`,
    );
  }
  const steps = migrations.steps ?? [migrations];
  for (const step of steps) {
    for (const name of step.new_classes ?? []) addClass(classes, name, "kv");
    for (const name of step.new_sqlite_classes ?? []) addClass(classes, name, "sqlite");
    for (const { from, to } of step.renamed_classes ?? []) {
      const kind = classes.get(from);
      if (!kind) fail(400, 10061, `Cannot apply --rename-class migration to class '${from}' that does not exist`);
      classes.delete(from);
      classes.set(to, kind);
    }
    for (const name of step.deleted_classes ?? []) classes.delete(name);
  }
  tag = migrations.new_tag ?? tag;
  return { tag, classes };
}

function addClass(classes: Map<string, "sqlite" | "kv">, name: string, kind: "sqlite" | "kv"): void {
  if (classes.has(name)) {
    fail(400, 10061, `Cannot apply --new-class migration to class '${name}' that is already depended on`);
  }
  classes.set(name, kind);
}

/**
 * Checks the bindings the way the real API does before it accepts an upload: each Durable
 * Object class is exported and migrated (or lives in an existing script that has it), each
 * Workflow class is exported, each D1 database and R2 bucket exists. Errors carry the real
 * codes (10061 for Durable Objects, 10021 for validation).
 */
export function validateBindings(
  account: AccountState,
  scriptName: string,
  bindings: readonly MetadataBinding[],
  exported: ReadonlySet<string>,
  classes: ReadonlyMap<string, "sqlite" | "kv">,
): void {
  const errors: { code: number; message: string }[] = [];
  const names = new Set<string>();
  for (const binding of bindings) {
    if (names.has(binding.name)) errors.push({ code: 10021, message: `Duplicate binding name '${binding.name}'` });
    names.add(binding.name);
    const problem = bindingProblem(account, scriptName, binding, exported, classes);
    if (problem) errors.push(problem);
  }
  if (errors.length > 0) throw new ApiFailure(400, errors);
}

function bindingProblem(
  account: AccountState,
  scriptName: string,
  binding: MetadataBinding,
  exported: ReadonlySet<string>,
  classes: ReadonlyMap<string, "sqlite" | "kv">,
): { code: number; message: string } | undefined {
  const text = (field: string) => (typeof binding[field] === "string" ? (binding[field] as string) : undefined);
  switch (binding.type) {
    case "durable_object_namespace": {
      const className = text("class_name") ?? "";
      const other = text("script_name");
      if (other && other !== scriptName) {
        const target = account.scripts.get(other);
        if (!target) {
          return { code: 10061, message: `Cannot create binding for class in script '${other}' that does not exist.` };
        }
        if (!target.classes.has(className)) {
          return {
            code: 10061,
            message: `Cannot create binding for class '${className}' in script '${other}' because it is not currently configured to implement Durable Objects.`,
          };
        }
        return undefined;
      }
      if (!exported.has(className)) {
        return {
          code: 10061,
          message: `Cannot create binding for class ${className} that is not exported by the script`,
        };
      }
      if (!classes.has(className)) {
        return {
          code: 10061,
          message: `Cannot create binding for class '${className}' because it is not currently configured to implement Durable Objects. Ensure a --new-class migration has been applied to it.`,
        };
      }
      return undefined;
    }
    case "workflow": {
      const className = text("class_name") ?? "";
      const other = text("script_name");
      if ((!other || other === scriptName) && !exported.has(className)) {
        return {
          code: 10021,
          message: `Uncaught Error: Workflow binding '${binding.name}' refers to class '${className}', which is not exported by the script`,
        };
      }
      return undefined;
    }
    case "d1": {
      const id = text("id") ?? text("database_id") ?? "";
      return account.databases.has(id)
        ? undefined
        : { code: 10021, message: `binding ${binding.name} of type d1 must have a valid \`id\` specified` };
    }
    case "r2_bucket": {
      const bucket = text("bucket_name") ?? "";
      const found = account.buckets.get(bucket);
      // A bucket in a jurisdiction is found only when the binding names that jurisdiction.
      return found && found.jurisdiction === text("jurisdiction")
        ? undefined
        : { code: 10085, message: `R2 bucket '${bucket}' does not exist (binding ${binding.name})` };
    }
    case "plain_text":
    case "secret_text":
    case "json":
    case "inherit":
    case "assets":
      return undefined;
    default:
      return { code: 10021, message: `binding type '${binding.type}' is not supported by this stand-in` };
  }
}
