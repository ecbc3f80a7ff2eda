import type { Plan } from "./plan.js";
import type { Run } from "./schemas/run.js";
import type { JobResultRequest } from "./schemas/runner-api.js";

/** What the API route hands a run's coordinator to create the run. */
export interface CreateRunCommand {
  run: Run;
  plan: Plan | null;
  idempotencyKey: string | null;
}

/**
 * The RPC surface of a run's `RunCoordinator` that the orchestrator's API routes call (the
 * workflows call `CoordinatorApi`). A wrong state is a `illegal_transition` error.
 */
export interface RunControlApi {
  /** Creates the run (idempotent by run id) and starts planning, or the plan given. */
  create(command: CreateRunCommand): Promise<void>;
  cancel(runId: string): Promise<void>;
  cancelTask(runId: string, taskId: string): Promise<void>;
  approve(runId: string, taskId: string): Promise<void>;
  reject(runId: string, taskId: string, reason: string): Promise<void>;
  retry(runId: string, taskId: string): Promise<void>;
  addBudget(runId: string, addUsd: number): Promise<void>;
  /** A runner's verdict (the route checked that the runner still held the job's lease). */
  jobResult(runId: string, jobId: string, result: JobResultRequest): Promise<void>;
  /** Restarts the workflows an earlier start of the stack left running; returns how many. */
  resume(runId: string): Promise<number>;
}
