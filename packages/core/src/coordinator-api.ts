import type { AttemptDecision, BudgetAnswer } from "./attempt-protocol.js";
import type { CommandPolicy } from "./command-policy.js";
import type { CompletionSignal } from "./completion-signal.js";
import type { ErrorJson } from "./errors.js";
import type { ModelOutageReport } from "./model-outage.js";
import type { Plan } from "./plan.js";
import type { Usage } from "./pricing.js";
import type { ExecResult } from "./schemas/command-job.js";

/**
 * The RPC surface of a run's `RunCoordinator` Durable Object, as the agent Worker's workflows
 * call it. Only plain data crosses it. Every method is idempotent by its natural key
 * (instance id, step name), because a workflow step may run more than once.
 */
export interface CoordinatorApi {
  /** Context of planning: the goal, the base snapshot and the planner model. */
  planContext(runId: string): Promise<PlanContext>;
  /** The planner produced a valid plan; the coordinator stores its tasks and starts scheduling. */
  planAccepted(runId: string, plan: Plan): Promise<void>;
  /** Planning failed for good (model error, or a plan still invalid after one repair). */
  planFailed(runId: string, error: ErrorJson): Promise<void>;
  /**
   * First step of an attempt: marks it `in_progress` and returns what the agent needs. Called
   * again for the same instance, it returns the same context, with `resumed` set.
   */
  attemptStarted(runId: string, instanceId: string): Promise<AttemptContext>;
  /** Usage of one model call, keyed by (instance, step) so a replayed step is not counted twice. */
  recordUsage(runId: string, entry: UsageEntry): Promise<void>;
  /**
   * An attempt produced a tree that passed its completion signals: it joins the merge queue.
   * The answer is final (merged, conflict, failed) or says which event to wait for. Called
   * again for the same instance, it answers the latest decision about the first submission.
   */
  submitAttempt(runId: string, submission: AttemptSubmission): Promise<AttemptDecision>;
  /**
   * Before a model call: reserves its worst-case cost. Refused when the run's budget (or the
   * task's `max_cost_usd`) cannot cover it: the run pauses and the attempt waits for `budget`.
   */
  reserveBudget(runId: string, request: BudgetRequest): Promise<BudgetAnswer>;
  /**
   * A model call failed in a way that waiting may cure (429, 5xx, no connection): the run shows
   * it (`model.retrying`, throttled), pauses as `model_unavailable` once it lasted too long, and
   * the call's reservation is released. The workflow then sleeps and tries again; the first
   * call that succeeds (its `recordUsage`) ends the outage and resumes a run it paused.
   */
  modelUnavailable(runId: string, report: ModelOutageReport): Promise<void>;
  /** Last step of an attempt: how it ended. Idempotent; a merged attempt is already recorded. */
  attemptFinished(runId: string, report: AttemptReport): Promise<void>;
  /**
   * An agent's `run_command`: queues an exec job for a runner, whose result comes back as the
   * Workflow event `commandEventType(jobId)`. Idempotent by (instance, step): a repeat returns
   * the same job, or its result once it is in. Refused at once when no runner is connected.
   */
  startCommand(runId: string, request: CommandRequest): Promise<CommandStart>;
  /** The result of an exec job, or null while it is queued or running: a restarted workflow asks. */
  commandResult(runId: string, jobId: string): Promise<ExecResult | null>;
}

/** An agent's command, as its workflow posts it. */
export interface CommandRequest {
  instanceId: string;
  /** The posting step's name: the job id is made from it, so a repeated step finds its job. */
  step: string;
  command: string;
  timeoutSeconds: number;
  /** The attempt's tree: its base snapshot plus its changes so far (a manifest hash). */
  manifest: string;
}

/** `queued`: wait for the event; `done`: the result (a repeat after it came); `no_runner`, `inactive`: nothing runs. */
export type CommandStart =
  | { kind: "queued"; jobId: string }
  | { kind: "done"; jobId: string; result: ExecResult }
  | { kind: "no_runner" }
  | { kind: "inactive" };

export interface AttemptSubmission {
  instanceId: string;
  turns: number;
  summary: string | null;
  resultManifest: string;
  patchKey: string;
  patchSha256: string;
  changedFiles: string[];
}

/**
 * A model call asking the budget: the coordinator sizes it (`sizeCall`) to what the budget can
 * pay and reserves the sized call's worst case (every input token uncached, every output token used).
 */
export interface BudgetRequest {
  instanceId: string;
  step: string;
  model: string;
  /** The prompt's input tokens, estimated from above. */
  inputTokens: number;
  /** The call's normal `max_tokens`. */
  maxOutputTokens: number;
  /** The fewest output tokens worth the call (`CALL_FLOORS`); fewer pause the run. */
  minOutputTokens: number;
}

export interface PlanContext {
  runId: string;
  goal: string;
  baseSnapshot: string;
  plannerModel: string;
  /** Approximate token budget of the repo view sent to the planner. */
  repoViewTokens: number;
  /** True when the run was cancelled before planning finished. */
  cancelled: boolean;
  /** The run's agents may use `run_command` (the planner's prompt says so); absent in older journals. */
  commandsEnabled?: boolean;
}

export interface AttemptContext {
  runId: string;
  taskId: string;
  instanceId: string;
  attempt: number;
  /** `provider/model` for this attempt. */
  model: string;
  maxTurns: number;
  maxOutputTokens: number;
  /** Integration seq and manifest hash the attempt starts from. */
  baseSeq: number;
  baseManifest: string;
  task: {
    title: string;
    description: string;
    role: string;
    ownedFiles: string[];
    completionSignals: CompletionSignal[];
  };
  goal: string;
  /** What went wrong last time (merge conflict, failed check), for a retried attempt. */
  feedback: string | null;
  /** What `run_command` may run (`enabled: false`: the tool is not offered). */
  commands: CommandPolicy;
  /** The run verifies with these commands (the agent's prompt names them as the tests to run). */
  verifyCommands: string[];
  /** False when the attempt must stop at once (cancelled, or superseded by a newer attempt). */
  active: boolean;
  /**
   * True unless this call started the attempt: the instance ran before (restarted, or its first
   * step tried again), so it may have finished steps to replay. False: nothing to read back.
   */
  resumed: boolean;
}

export interface UsageEntry {
  instanceId: string;
  step: string;
  model: string;
  usage: Usage;
}

export interface AttemptReport {
  instanceId: string;
  outcome: "succeeded" | "failed" | "cancelled";
  turns: number;
  summary: string | null;
  error: ErrorJson | null;
  /** Set when the attempt produced a tree: its manifest hash, its patch and what changed. */
  resultManifest: string | null;
  patchKey: string | null;
  patchSha256: string | null;
  changedFiles: string[];
}

/** Parameters of a `TaskWorkflow` instance (its id is `attemptInstanceId(runId, taskId, attempt)`). */
export interface TaskWorkflowParams {
  runId: string;
  taskId: string;
  attempt: number;
}

/** Parameters of a `PlanWorkflow` instance (its id is `<runId>-plan`). */
export interface PlanWorkflowParams {
  runId: string;
}

/** Instance id of a run's planning workflow. */
export function planInstanceId(runId: string): string {
  return `${runId}-plan`;
}
