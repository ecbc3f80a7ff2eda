import type { PlanWorkflowParams, TaskWorkflowParams } from "@bernstein/core";
import type { RunCoordinator } from "./coordinator/run-coordinator.js";

/** Bindings of the orchestrator Worker (docs/internals.md lists them for both Workers). */
export interface Env {
  STATE_DB: D1Database;
  ARTIFACTS: R2Bucket;
  COORDINATOR: DurableObjectNamespace<RunCoordinator>;
  TASKS: Workflow<TaskWorkflowParams>;
  PLANS: Workflow<PlanWorkflowParams>;
  /** Bearer token of the API (a secret). */
  API_TOKEN: string;
  /** Key of the audit chain's HMAC-SHA256 (a secret). */
  AUDIT_HMAC_KEY: string;
  /** Identifies one start of the local stack; absent on Cloudflare (instances resume there). */
  STACK_BOOT_ID?: string;
  /** How long one live event subscription lasts before the client reconnects (default 300). */
  EVENT_STREAM_MAX_SECONDS?: string;
  BERNSTEIN_MODEL?: string;
  BERNSTEIN_PLANNER_MODEL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
}
