/**
 * The stack's shape, in one place. The local stack's Miniflare options, the checked-in
 * `apps/{orchestrator,agent}/wrangler.jsonc` (build, `wrangler types`) and the configs that
 * `bernstein cloud deploy` writes are all rendered from this object, so they cannot drift.
 *
 * Adding a binding, a Durable Object migration or a required secret is one edit here; then
 * `pnpm --filter @bernstein/deploy write-configs` rewrites the checked-in wrangler.jsonc files
 * (a test fails while they are stale).
 */

/** The two Workers of the stack. */
export type WorkerKey = "orchestrator" | "agent";
export const WORKER_KEYS: readonly WorkerKey[] = ["orchestrator", "agent"];

/** A Durable Object namespace binding; `owner` is the Worker that exports the class. */
export interface DurableObjectSpec {
  binding: string;
  className: string;
  owner: WorkerKey;
}

/** A Workflow binding; `owner` exports the class and defines the Workflow (by `name`). */
export interface WorkflowSpec {
  binding: string;
  /** Short name; the full name is `bernstein-<name>` locally, `bernstein-<project>-<name>` deployed. */
  name: string;
  className: string;
  owner: WorkerKey;
}

/** One Durable Object migration, in wrangler's (and the upload API's) shape. */
export interface DurableObjectMigration {
  tag: string;
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
}

/** Static assets served by a Worker (Workers Static Assets). */
export interface AssetsSpec {
  binding: string;
  /** Directory of the built assets, relative to the Worker's app directory. */
  directory: string;
  /** Every request reaches the Worker first (it hands the asset paths it serves to the binding). */
  runWorkerFirst: boolean;
  /** What the binding answers for a path with no file: the app's index.html, for a client-side router. */
  notFoundHandling: "single-page-application" | "404-page" | "none";
}

export interface WorkerSpec {
  /** One line of what the Worker is, written as the first comment of its wrangler.jsonc. */
  description: string;
  /** Entry module, relative to the Worker's app directory (the bundle is built from it). */
  main: string;
  /** Binds the D1 database (`STATE_DB`). */
  database: boolean;
  /** Binds the R2 bucket (`ARTIFACTS`). */
  bucket: boolean;
  durableObjects: readonly DurableObjectSpec[];
  workflows: readonly WorkflowSpec[];
  /** Migrations of the Durable Object classes this Worker exports, oldest first. Never edit a released tag. */
  migrations: readonly DurableObjectMigration[];
  /** Secrets the Worker cannot start without (checked by `wrangler deploy`, typed by `wrangler types`). */
  requiredSecrets: readonly string[];
  assets?: AssetsSpec;
}

/** Model keys: Worker secrets when deployed, bindings of the stack process locally. */
export const MODEL_SECRETS = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"] as const;
/** Model settings that are not secret: plain vars when deployed. */
export const MODEL_VARS = [
  "BERNSTEIN_MODEL",
  "BERNSTEIN_PLANNER_MODEL",
  "ANTHROPIC_BASE_URL",
  "OPENAI_BASE_URL",
] as const;

const COORDINATOR: DurableObjectSpec = { binding: "COORDINATOR", className: "RunCoordinator", owner: "orchestrator" };
const TASKS: WorkflowSpec = { binding: "TASKS", name: "task", className: "TaskWorkflow", owner: "agent" };
const PLANS: WorkflowSpec = { binding: "PLANS", name: "plan", className: "PlanWorkflow", owner: "agent" };

export interface StackSpec {
  compatibilityDate: string;
  compatibilityFlags: readonly string[];
  /** The D1 database; `name` is its short name (`bernstein-<project>-state` deployed). */
  database: { binding: string; name: string };
  /** The R2 bucket; `name` is its short name (`bernstein-<project>-artifacts` deployed). */
  bucket: { binding: string; name: string };
  workers: Record<WorkerKey, WorkerSpec>;
}

export const STACK: StackSpec = {
  /** workerd 1.20260426.1 (pinned with miniflare) accepts dates up to 2026-05-03. */
  compatibilityDate: "2026-04-20",
  compatibilityFlags: ["nodejs_compat"],
  database: { binding: "STATE_DB", name: "state" },
  bucket: { binding: "ARTIFACTS", name: "artifacts" },
  workers: {
    orchestrator: {
      description: "The orchestrator: the /v1 API and one RunCoordinator Durable Object per run.",
      main: "src/index.ts",
      database: true,
      bucket: true,
      durableObjects: [COORDINATOR],
      workflows: [TASKS, PLANS],
      migrations: [{ tag: "v1", new_sqlite_classes: ["RunCoordinator"] }],
      requiredSecrets: ["API_TOKEN", "AUDIT_HMAC_KEY"],
      // The web dashboard (apps/dashboard, built before this Worker). The Worker answers /v1,
      // /login and /logout itself and hands GETs of the app's paths to ASSETS.
      assets: {
        binding: "ASSETS",
        directory: "../dashboard/dist",
        runWorkerFirst: true,
        notFoundHandling: "single-page-application",
      },
    },
    agent: {
      description: "The agent: TaskWorkflow (one instance per task attempt) and PlanWorkflow (one per run).",
      main: "src/index.ts",
      database: true,
      bucket: true,
      durableObjects: [COORDINATOR],
      workflows: [TASKS, PLANS],
      migrations: [],
      requiredSecrets: [],
    },
  },
};
