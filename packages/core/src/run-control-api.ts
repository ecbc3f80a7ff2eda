import type { Plan } from "./plan.js";
import type { CostReport, RunView, TaskView } from "./schemas/api.js";
import type { ExecResult } from "./schemas/command-job.js";
import type { JobLostData } from "./schemas/job-lost.js";
import type { Run } from "./schemas/run.js";
import type { JobResultRequest } from "./schemas/runner-api.js";

/** What the API route hands a run's coordinator to create the run. */
export interface CreateRunCommand {
  run: Run;
  plan: Plan | null;
  idempotencyKey: string | null;
  /** SHA-256 of the request's canonical JSON (without the key): a reused key must bring the same request. */
  requestSha256: string;
}

/**
 * The RPC surface of a run's `RunCoordinator` that the orchestrator's API routes call (the
 * workflows call `CoordinatorApi`). The coordinator holds the run's state, so every read of
 * one run is served here; D1 is the read model across runs. A run that does not exist is
 * `not_found`, a wrong state `illegal_transition`.
 */
export interface RunControlApi {
  /** Creates the run (idempotent by run id) and starts planning, or the plan given; false when it existed. */
  create(command: CreateRunCommand): Promise<boolean>;
  /** The run with its tasks and the seq of the last event they reflect. */
  view(runId: string): Promise<RunView>;
  /** One task with its attempts (its commands are runners' jobs: the API adds them from D1). */
  taskView(runId: string, taskId: string): Promise<Omit<TaskView, "commands">>;
  /** The run's spend by task, model and role, with its cost rows. */
  costReport(runId: string): Promise<CostReport>;
  cancel(runId: string): Promise<void>;
  cancelTask(runId: string, taskId: string): Promise<void>;
  approve(runId: string, taskId: string): Promise<void>;
  reject(runId: string, taskId: string, reason: string): Promise<void>;
  retry(runId: string, taskId: string): Promise<void>;
  /** Refused on an ended run (409) and above `BUDGET_LIMITS.maxRunUsd` (422). */
  addBudget(runId: string, addUsd: number): Promise<void>;
  /** Links a change outside the run (a token created or revoked) into its audit chain, until it ends. */
  auditLink(runId: string, actor: string, action: string, data: Record<string, unknown>): Promise<void>;
  /** The audit chain's head, once D1 holds every link up to it and any seal due is written. */
  auditHead(runId: string): Promise<{ seq: number; hmac: string }>;
  /** A runner's verdict (the route checked that the runner still held the job's lease). */
  jobResult(runId: string, jobId: string, result: JobResultRequest): Promise<void>;
  /** A runner's result of an agent's command (an exec job; the route checked the lease too). */
  commandFinished(runId: string, jobId: string, result: ExecResult): Promise<void>;
  /** A runner's lease on a job lapsed and another runner claimed it: a `job.lost` event (none once the job settled). */
  jobLost(runId: string, lost: JobLostData): Promise<void>;
  /** Restarts the workflows an earlier start of the stack left running; returns how many. */
  resume(runId: string): Promise<number>;
}
