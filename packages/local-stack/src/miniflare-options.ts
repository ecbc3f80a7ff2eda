import { dirname, join } from "node:path";
import { LOCAL_NAMES, STACK, sqliteClasses, WORKER_KEYS, type WorkerKey } from "@bernstein/stack-spec";
import type { MiniflareOptions, WorkerOptions } from "miniflare";
import type { ModelEnvVar } from "./model-env.js";

export const COMPATIBILITY_DATE = STACK.compatibilityDate;
export const COMPATIBILITY_FLAGS = [...STACK.compatibilityFlags];
export const LOOPBACK = "127.0.0.1";

/** Paths of the two Worker bundles (`wrangler deploy --dry-run` output) the stack runs. */
/**
 * Paths of the two Worker bundles (`wrangler deploy --dry-run` output) the stack runs, and the
 * built static assets of the Worker that serves some (the orchestrator's dashboard,
 * `apps/dashboard/dist`); without `assets` that Worker answers its API only.
 */
export type WorkerBundles = Record<WorkerKey, string> & { assets?: string | undefined };

export interface StackOptions {
  bundles: WorkerBundles;
  /** 0 picks any free port. */
  port: number;
  /** Miniflare persistence root (`<state-dir>/state`); undefined keeps everything in memory. */
  persistDir: string | undefined;
  token: string;
  auditKey: string;
  modelEnv: Partial<Record<ModelEnvVar, string>>;
  /** Extra plain-text bindings of the orchestrator. */
  settings?: Record<string, string>;
  /**
   * workerd's DevTools inspector port (Miniflare's `inspectorPort`; 0 picks a free one, read it
   * back with `miniflare.getInspectorURL()`); undefined leaves the inspector off.
   */
  inspectorPort?: number | undefined;
}

/**
 * Miniflare options for the local stack: both Workers with exactly the bindings of
 * `@bernstein/stack-spec` (the source the deploy configs come from too), persisted under
 * `persistDir` (or in memory), bound to loopback only.
 */
export function miniflareOptions(options: StackOptions): MiniflareOptions {
  const { persistDir } = options;
  const persistence = persistDir
    ? {
        d1Persist: join(persistDir, "d1"),
        r2Persist: join(persistDir, "r2"),
        durableObjectsPersist: join(persistDir, "do"),
        workflowsPersist: join(persistDir, "workflows"),
        // Persisted too, so Miniflare keeps nothing in a temp dir (it removes that only lazily).
        cachePersist: join(persistDir, "cache"),
      }
    : {};
  const secrets: Record<WorkerKey, Record<string, string>> = {
    orchestrator: { ...options.settings, API_TOKEN: options.token, AUDIT_HMAC_KEY: options.auditKey },
    agent: {},
  };
  return {
    host: LOOPBACK,
    port: options.port,
    cf: false,
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    ...persistence,
    workers: WORKER_KEYS.map((key) => ({
      ...workerBindings(key),
      name: LOCAL_NAMES.worker(key),
      modules: true,
      scriptPath: options.bundles[key],
      // workerd refuses module paths that leave its modules root (relative to the cwd by default).
      modulesRoot: dirname(options.bundles[key]),
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: COMPATIBILITY_FLAGS,
      bindings: { ...options.modelEnv, ...secrets[key] },
      ...workerAssets(key, options.bundles.assets),
    })),
  };
}

/** One Worker's D1, R2, Durable Object and Workflow bindings, with the local names. */
export function workerBindings(key: WorkerKey): WorkerOptions {
  const spec = STACK.workers[key];
  const scriptName = (owner: WorkerKey) => (owner === key ? {} : { scriptName: LOCAL_NAMES.worker(owner) });
  return {
    ...(spec.database ? { d1Databases: { [STACK.database.binding]: LOCAL_NAMES.database } } : {}),
    ...(spec.bucket ? { r2Buckets: { [STACK.bucket.binding]: LOCAL_NAMES.bucket } } : {}),
    durableObjects: Object.fromEntries(
      spec.durableObjects.map((d) => [
        d.binding,
        { className: d.className, ...scriptName(d.owner), useSQLite: sqliteClasses(d.owner).has(d.className) },
      ]),
    ),
    workflows: Object.fromEntries(
      spec.workflows.map((w) => [
        w.binding,
        { name: LOCAL_NAMES.workflow(w.name), className: w.className, ...scriptName(w.owner) },
      ]),
    ),
  };
}

/**
 * A Worker's static assets as the spec declares them (what wrangler.jsonc says too), served
 * from `directory`; nothing for a Worker without assets, or when no directory is given.
 */
export function workerAssets(key: WorkerKey, directory: string | undefined): { assets?: WorkerOptions["assets"] } {
  const spec = STACK.workers[key].assets;
  if (!spec || !directory) return {};
  return {
    assets: {
      directory,
      binding: spec.binding,
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: spec.runWorkerFirst },
      assetConfig: { not_found_handling: spec.notFoundHandling },
    },
  };
}
