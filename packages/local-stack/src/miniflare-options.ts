import { dirname, join } from "node:path";
import type { MiniflareOptions } from "miniflare";
import type { ModelEnvVar } from "./model-env.js";

export const COMPATIBILITY_DATE = "2026-04-20";
export const COMPATIBILITY_FLAGS = ["nodejs_compat"];
export const LOOPBACK = "127.0.0.1";
const D1_DATABASE = "bernstein-state";
const R2_BUCKET = "bernstein-artifacts";

/** Paths of the two Worker bundles (`wrangler deploy --dry-run` output) the stack runs. */
export interface WorkerBundles {
  orchestrator: string;
  agent: string;
}

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
}

/**
 * Miniflare options for the local stack: the orchestrator Worker (HTTP entry, RunCoordinator)
 * and the agent Worker (TaskWorkflow, PlanWorkflow) with the bindings of docs/internals.md,
 * persisted under `persistDir` (or in memory), bound to loopback only.
 */
export function miniflareOptions(options: StackOptions): MiniflareOptions {
  const { bundles, persistDir } = options;
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
  const shared = {
    modules: true,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    d1Databases: { STATE_DB: D1_DATABASE },
    r2Buckets: { ARTIFACTS: R2_BUCKET },
  };
  return {
    host: LOOPBACK,
    port: options.port,
    cf: false,
    ...persistence,
    workers: [
      {
        ...shared,
        name: "orchestrator",
        scriptPath: bundles.orchestrator,
        // workerd refuses module paths that leave its modules root (relative to the cwd by default).
        modulesRoot: dirname(bundles.orchestrator),
        durableObjects: { COORDINATOR: { className: "RunCoordinator", useSQLite: true } },
        workflows: {
          TASKS: { name: "bernstein-task", className: "TaskWorkflow", scriptName: "agent" },
          PLANS: { name: "bernstein-plan", className: "PlanWorkflow", scriptName: "agent" },
        },
        bindings: {
          ...options.settings,
          ...options.modelEnv,
          API_TOKEN: options.token,
          AUDIT_HMAC_KEY: options.auditKey,
        },
      },
      {
        ...shared,
        name: "agent",
        scriptPath: bundles.agent,
        modulesRoot: dirname(bundles.agent),
        durableObjects: { COORDINATOR: { className: "RunCoordinator", scriptName: "orchestrator", useSQLite: true } },
        bindings: { ...options.modelEnv },
      },
    ],
  };
}
