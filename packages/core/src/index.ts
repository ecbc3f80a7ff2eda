export { canonicalJson } from "./canonical-json.ts";
export { CompletionSignal, parseFileContains } from "./completion-signal.ts";
export {
  BernsteinError,
  type BernsteinErrorOptions,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorJson,
  errorCodeOf,
  isErrorCode,
  statusForCode,
  toBernsteinError,
} from "./errors.ts";
export { attemptInstanceId, makeId, parseAttemptInstanceId, RUN_ID_PATTERN, TASK_ID_PATTERN } from "./ids.ts";
export { DEFAULTS, LIMITS } from "./limits.ts";
export { formatModelRef, type ModelRef, PROVIDERS, Provider, parseModelRef } from "./model-ref.ts";
export { isOwnedBy, ownedFilesOverlap, patternsOverlap } from "./owned-files.ts";
export { DEFAULT_PRIORITY, MAX_PLAN_TASKS, Plan, type PlanInput, PlanTask, type PlanTaskInput } from "./plan.ts";
export { findCycle, validatePlan } from "./plan-validation.ts";
export {
  costOf,
  MODEL_PRICES,
  type ModelPrice,
  priceOf,
  roundUsd,
  UNKNOWN_MODEL_PRICE,
  Usage,
  type UsageInput,
  worstCaseCost,
} from "./pricing.ts";
export { normalizeRepoPath } from "./repo-path.ts";
export { assertRunTransition, isTerminalRunStatus, RUN_STATUSES, RUN_TRANSITIONS, RunStatus } from "./run-status.ts";
export {
  hasHeadroom,
  isDependencySatisfied,
  pickClaimable,
  type SchedulableTask,
  type SchedulerLimits,
} from "./scheduler.ts";
export {
  CostReport,
  type CreateRunInput,
  CreateRunRequest,
  CreateSnapshotRequest,
  CreateSnapshotResponse,
  HealthResponse,
  MergeRecord,
  MissingBlobsRequest,
  MissingBlobsResponse,
  PutBlobResponse,
  RunList,
  RunResult,
  RunView,
  SnapshotResponse,
  TaskList,
  TaskView,
} from "./schemas/api.ts";
export { ATTEMPT_STATUSES, Attempt, AttemptStatus } from "./schemas/attempt.ts";
export { AUDIT_GENESIS, AuditEvent } from "./schemas/audit-event.ts";
export { ErrorJsonSchema, ErrorResponse, IsoTime, RunId, Sha256, TaskId } from "./schemas/common.ts";
export { CostEvent } from "./schemas/cost-event.ts";
export { FileMode, Manifest, ManifestEntry } from "./schemas/manifest.ts";
export { Run } from "./schemas/run.ts";
export { RUN_EVENT_TYPES, RunEvent, RunEventType } from "./schemas/run-event.ts";
export { Task } from "./schemas/task.ts";
export {
  ACTIVE_TASK_STATUSES,
  assertTransition,
  canTransition,
  isTerminalTaskStatus,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  TaskStatus,
  TERMINAL_TASK_STATUSES,
  transitionTask,
  type VersionedStatus,
} from "./task-status.ts";
export { formatZodError, parseWith } from "./zod-error.ts";
