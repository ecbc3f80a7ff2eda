import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import {
  type AccountState,
  deployedVersion,
  type MetadataBinding,
  type ScriptRecord,
  type VersionRecord,
} from "./state.js";

const ACCOUNT_WORKER = "__account";

export type StandInD1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;
export type StandInR2 = Awaited<ReturnType<Miniflare["getR2Bucket"]>>;

/**
 * Runs what was uploaded: one Miniflare holding every deployed script of the account, each
 * with exactly the modules and bindings of its deployed version (and the script's secrets),
 * D1, R2, Durable Objects and Workflows persisted under `dir`. An internal worker binds every
 * D1 database and R2 bucket, so the API's D1 queries and R2 listings run on the same data.
 */
export class AccountRuntime {
  private mf: Miniflare | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly account: AccountState,
    private readonly dir: string,
    private readonly logLevel: LogLevel = LogLevel.WARN,
  ) {}

  /** Applies the account's current state (call after every change); changes run one at a time. */
  refresh(): Promise<void> {
    // Nothing runs yet and nothing would: the first handle asked for starts it with the state then.
    const next = this.queue.then(() => (this.mf || this.runnable().size > 0 ? this.apply() : undefined));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The scripts that run now (deployed, and every script they bind is deployed too). */
  runnable(): Set<string> {
    const deployed = new Set([...this.account.scripts.values()].filter((s) => deployedVersion(s)).map((s) => s.name));
    let changed = true;
    while (changed) {
      changed = false;
      for (const name of deployed) {
        const version = deployedVersion(this.account.scripts.get(name) as ScriptRecord);
        const needs = (version?.bindings ?? [])
          .map((b) => b.script_name)
          .filter((s): s is string => typeof s === "string");
        if (needs.some((other) => other !== name && !deployed.has(other))) {
          deployed.delete(name);
          changed = true;
        }
      }
    }
    return deployed;
  }

  async d1(uuid: string): Promise<StandInD1> {
    await this.queue;
    return (await this.started()).getD1Database(d1Binding(uuid), ACCOUNT_WORKER);
  }

  async r2(bucket: string): Promise<StandInR2> {
    await this.queue;
    return (await this.started()).getR2Bucket(r2Binding(bucket), ACCOUNT_WORKER);
  }

  /** Sends a request to a script as if it came to its workers.dev host. */
  async fetch(host: string, path: string, init: RequestInit): Promise<Response> {
    await this.queue;
    const mf = await this.started();
    return (await mf.dispatchFetch(`https://${host}${path}`, init as never)) as unknown as Response;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.mf?.dispose();
    this.mf = undefined;
  }

  private async started(): Promise<Miniflare> {
    if (!this.mf) await this.apply();
    return this.mf as Miniflare;
  }

  private async apply(): Promise<void> {
    const workers: WorkerOptions[] = [this.accountWorker()];
    for (const name of this.runnable())
      workers.push(await this.scriptWorker(this.account.scripts.get(name) as ScriptRecord));
    const persist = join(this.dir, "persist");
    const options = {
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new Log(this.logLevel),
      d1Persist: join(persist, "d1"),
      r2Persist: join(persist, "r2"),
      durableObjectsPersist: join(persist, "do"),
      workflowsPersist: join(persist, "workflows"),
      cachePersist: join(persist, "cache"),
      workers,
    };
    if (this.mf) await this.mf.setOptions(options);
    else {
      this.mf = new Miniflare(options);
      await this.mf.ready;
    }
  }

  private accountWorker(): WorkerOptions {
    return {
      name: ACCOUNT_WORKER,
      modules: true,
      script: 'export default { fetch() { return new Response("There is nothing here.", { status: 404 }); } };',
      compatibilityDate: "2026-04-20",
      d1Databases: Object.fromEntries([...this.account.databases.keys()].map((id) => [d1Binding(id), id])),
      r2Buckets: Object.fromEntries([...this.account.buckets.keys()].map((name) => [r2Binding(name), name])),
    };
  }

  private async scriptWorker(script: ScriptRecord): Promise<WorkerOptions> {
    const version = deployedVersion(script);
    if (!version) throw new Error(`script ${script.name} has no deployed version`);
    const root = join(this.dir, "scripts", script.name, version.id);
    await mkdir(root, { recursive: true });
    const modules: { type: ModuleType; path: string }[] = [];
    const main = version.modules.find((m) => m.name === version.mainModule);
    for (const module of [main, ...version.modules.filter((m) => m !== main)]) {
      const type = module ? moduleType(module.contentType) : undefined;
      if (!module || !type) continue;
      const path = join(root, module.name);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, module.content);
      modules.push({ type, path });
    }
    const options: WorkerOptions & Record<string, unknown> = {
      name: script.name,
      modules,
      modulesRoot: root,
      compatibilityDate: version.compatibilityDate,
      compatibilityFlags: version.compatibilityFlags,
      routes: script.subdomainEnabled ? [`${script.name}.${this.account.subdomain}.workers.dev/*`] : [],
      ...runtimeBindings(version.bindings, script, (owner, className) =>
        this.account.scripts.get(owner)?.classes.get(className),
      ),
      ...(await this.assetsOf(version, join(root, "__assets"))),
    };
    return options;
  }

  /** The version's static assets, written out as files, served as Workers Static Assets serves them. */
  private async assetsOf(version: VersionRecord, dir: string): Promise<{ assets?: WorkerOptions["assets"] }> {
    if (!version.assets) return {};
    for (const [path, { hash }] of Object.entries(version.assets.manifest)) {
      const blob = this.account.assetBlobs.get(hash);
      if (!blob) throw new Error(`asset ${path} (${hash}) was never uploaded`);
      const file = join(dir, path);
      await mkdir(join(file, ".."), { recursive: true });
      await writeFile(file, blob);
    }
    const { config } = version.assets;
    const binding = version.bindings.find((b) => b.type === "assets")?.name;
    return {
      assets: {
        directory: dir,
        ...(binding ? { binding } : {}),
        routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: config.run_worker_first === true },
        // The upload's config is what wrangler resolved from the same fields Miniflare takes.
        assetConfig: {
          ...(config.not_found_handling ? { not_found_handling: config.not_found_handling } : {}),
          ...(config.html_handling ? { html_handling: config.html_handling } : {}),
        },
      },
    };
  }
}

type ModuleType = "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm";

function moduleType(contentType: string): ModuleType | undefined {
  const type = contentType.split(";")[0]?.trim();
  if (type === "application/javascript+module") return "ESModule";
  if (type === "application/javascript" || type === "text/javascript") return "CommonJS";
  if (type === "text/plain") return "Text";
  if (type === "application/octet-stream") return "Data";
  if (type === "application/wasm") return "CompiledWasm";
  return undefined; // source maps and the like are not modules at run time
}

/** Miniflare bindings for exactly the bindings of a version (plus the script's secrets). */
function runtimeBindings(
  bindings: readonly MetadataBinding[],
  script: ScriptRecord,
  classKind: (script: string, className: string) => "sqlite" | "kv" | undefined,
): Record<string, unknown> {
  const text: Record<string, string> = {};
  const json: Record<string, unknown> = {};
  const d1Databases: Record<string, string> = {};
  const r2Buckets: Record<string, string> = {};
  const durableObjects: Record<string, unknown> = {};
  const workflows: Record<string, unknown> = {};
  for (const binding of bindings) {
    const other = typeof binding.script_name === "string" && binding.script_name !== script.name;
    switch (binding.type) {
      case "plain_text":
        text[binding.name] = String(binding.text);
        break;
      case "json":
        json[binding.name] = binding.json;
        break;
      case "d1":
        d1Databases[binding.name] = String(binding.id ?? binding.database_id);
        break;
      case "r2_bucket":
        r2Buckets[binding.name] = String(binding.bucket_name);
        break;
      case "durable_object_namespace":
        durableObjects[binding.name] = {
          className: binding.class_name,
          ...(other ? { scriptName: binding.script_name } : {}),
          useSQLite:
            classKind(other ? String(binding.script_name) : script.name, String(binding.class_name)) === "sqlite",
        };
        break;
      case "workflow":
        workflows[binding.name] = {
          name: binding.workflow_name,
          className: binding.class_name,
          ...(other ? { scriptName: binding.script_name } : {}),
        };
        break;
    }
  }
  for (const [name, value] of script.secrets) text[name] = value;
  return { bindings: { ...json, ...text }, d1Databases, r2Buckets, durableObjects, workflows };
}

function d1Binding(uuid: string): string {
  return `D1_${uuid.replaceAll("-", "_")}`;
}

function r2Binding(bucket: string): string {
  return `R2_${bucket.replaceAll("-", "_")}`;
}
