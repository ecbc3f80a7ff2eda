export {
  ATTEMPT_EVENT_SCHEMAS,
  ATTEMPT_EVENTS,
  AttemptDecision,
  type AttemptEventPayloads,
  type AttemptEventType,
  type AttemptNotice,
  BudgetAnswer,
  type CommandEventType,
  commandEventType,
  type DecisionEvent,
  decisionEvent,
  type FinalDecision,
  WaitReason,
} from "./attempt-protocol.js";
export { CALL_FLOORS, type CallSize, type CallSizeInput, sizeCall } from "./call-size.js";
export { canonicalJson, canonicalJsonInSlices } from "./canonical-json.js";
export {
  COMMAND_DEFAULTS,
  type CommandCheck,
  CommandPolicy,
  checkCommand,
  defaultCommandPolicy,
} from "./command-policy.js";
export {
  CompletionSignal,
  describeSignals,
  parseFileContains,
  testCommandsOf,
} from "./completion-signal.js";
export type {
  AttemptContext,
  AttemptReport,
  AttemptSubmission,
  BudgetRequest,
  CommandRequest,
  CommandStart,
  CoordinatorApi,
  PlanContext,
  PlanWorkflowParams,
  TaskWorkflowParams,
  UsageEntry,
} from "./coordinator-api.js";
export { planInstanceId } from "./coordinator-api.js";
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
  toTransportError,
} from "./errors.js";
export { attemptInstanceId, makeId, parseAttemptInstanceId, RUN_ID_PATTERN, TASK_ID_PATTERN } from "./ids.js";
export { BUDGET_LIMITS, DEFAULTS, LIMITS } from "./limits.js";
export { checkManifestTree, symlinkEscape } from "./manifest-tree.js";
export { emptyMeterCounts, METER_PATH, type MeterCounts } from "./meter-counts.js";
export {
  currentOutage,
  MODEL_RETRYING_EVENT_MS,
  MODEL_UNAVAILABLE_MINUTES,
  type ModelOutageReport,
  modelUnavailableMs,
  outageWhat,
} from "./model-outage.js";
export { formatModelRef, type ModelRef, PROVIDERS, Provider, parseModelRef } from "./model-ref.js";
export { formatUsd } from "./money.js";
export { isOwnedBy, ownedFilesOverlap, patternsOverlap } from "./owned-files.js";
export {
  DEFAULT_PRIORITY,
  MAX_PLAN_TASKS,
  Plan,
  type PlanInput,
  PlanTask,
  type PlanTaskInput,
  StrictPlan,
} from "./plan.js";
export {
  checkPlanInSlices,
  findCycle,
  PLAN_SLICE_TASKS,
  type PlanParse,
  parsePlanInSlices,
  validatePlan,
  validatePlanInSlices,
} from "./plan-validation.js";
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
} from "./pricing.js";
export {
  defaultProjectConfig,
  PROJECT_CONFIG_FILE,
  ProjectConfig,
  parseProjectConfig,
  projectConfigJsonSchema,
} from "./project-config.js";
export { createRedactor, REDACTED, type Redactor, redactDeep, redactSecrets } from "./redact.js";
export { isDotGit, normalizeRepoPath } from "./repo-path.js";
export { attemptNumber, describeRunEvent, type EventDescription } from "./run-activity.js";
export type { CreateRunCommand, RunControlApi } from "./run-control-api.js";
export { type RunFigures, runFigures, taskElapsedMs } from "./run-figures.js";
export { isBudgetPause, isModelPause } from "./run-pause.js";
export { ACTIVITY_LIMIT, applyRunEvent, applyRunEvents, initRunState, rebaseRunState } from "./run-reducer.js";
export { assertRunTransition, isTerminalRunStatus, RUN_STATUSES, RUN_TRANSITIONS, RunStatus } from "./run-status.js";
export { TIMELINE_LIMIT } from "./run-timeline.js";
export { compileGlob, compileSearchPattern, MAX_PATTERN_LENGTH, type SafePattern } from "./safe-pattern.js";
export {
  hasHeadroom,
  isDependencySatisfied,
  pickClaimable,
  pickInClaimOrder,
  type SchedulableTask,
  type SchedulerLimits,
} from "./scheduler.js";
export {
  AddBudgetRequest,
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
  RejectTaskRequest,
  RunList,
  RunResult,
  RunView,
  SnapshotResponse,
  TaskList,
  TaskView,
} from "./schemas/api.js";
export { ATTEMPT_STATUSES, Attempt, AttemptStatus } from "./schemas/attempt.js";
export {
  AuditBreak,
  AuditRunVerdict,
  AuditSeal,
  AuditVerifyRequest,
  AuditVerifyResponse,
} from "./schemas/audit-api.js";
export { AUDIT_GENESIS, AuditEvent } from "./schemas/audit-event.js";
export { ExecJob, ExecResult, type ExecResultInput } from "./schemas/command-job.js";
export { ErrorJsonSchema, ErrorResponse, IsoTime, RunId, Sha256, TaskId } from "./schemas/common.js";
export { CostEvent } from "./schemas/cost-event.js";
export {
  AttemptCost,
  BURN_WINDOW_SECONDS,
  BudgetShare,
  BurnRate,
  NO_TOKENS,
  TaskCost,
  TokenCounts,
} from "./schemas/cost-report.js";
export {
  type CreateLoginInput,
  CreateLoginRequest,
  LoginCode,
  RunSummary,
  RunSummaryList,
} from "./schemas/dashboard-api.js";
export { JOB_STATUSES, Job, JobKind, JobStatus, JobVerifySpec } from "./schemas/job.js";
export { JobLostData } from "./schemas/job-lost.js";
export { FileMode, Manifest, ManifestEntry } from "./schemas/manifest.js";
export { Run } from "./schemas/run.js";
export { RUN_EVENT_TYPES, RunEvent, RunEventType } from "./schemas/run-event.js";
export {
  ACTIVITY_TONES,
  ActivityEntry,
  ActivityTone,
  AttemptTrace,
  RunState,
  TaskState,
  TimelinePoint,
  VerifyTrace,
} from "./schemas/run-state.js";
export {
  ClaimJobRequest,
  ClaimJobResponse,
  CreateRunnerRequest,
  HeartbeatResponse,
  type JobResultInput,
  JobResultRequest,
  MAX_CLAIM_WAIT_SECONDS,
  RUNNER_CONNECTED_SECONDS,
  RunnerCreated,
  RunnerJob,
  VerifyJob,
} from "./schemas/runner-api.js";
export {
  NO_RUNNER_CONNECTED,
  noRunnerNotice,
  RunnerInfo,
  RunnerStatus,
  START_RUNNER_HINT,
} from "./schemas/runner-status.js";
export { Task } from "./schemas/task.js";
export { TaskCommand } from "./schemas/task-command.js";
export {
  ADMIN_TOKEN_NAME,
  CreatedToken,
  CreateTokenRequest,
  TOKEN_SCOPES,
  TokenInfo,
  TokenList,
  TokenName,
  TokenScope,
} from "./schemas/token.js";
export { runInSlices, runToEnd, type Sliced } from "./sliced.js";
export {
  parseStrictJson,
  parseStrictJsonInSlices,
  STRICT_JSON_SLICE_CHARS,
  type StrictJsonOptions,
} from "./strict-json.js";
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
} from "./task-status.js";
export { shownTaskStatus, taskWaiting } from "./task-waiting.js";
export {
  CHECK_STATUSES,
  Check,
  CheckStatus,
  CommandRun,
  FailedTest,
  MAX_CHECK_MESSAGE,
  MAX_CHECKS,
  SetupFailure,
  SignalRun,
  type TreeChecks,
} from "./verification/checks.js";
export { describeFailure, describeSetupFailure, type FailureInput } from "./verification/feedback.js";
export {
  type CandidateChecks,
  commandCheckId,
  exitText,
  findRegressions,
  type Judgement,
  judgeCandidate,
  type Regression,
} from "./verification/regressions.js";
export { DEFAULT_SETUP_INPUTS, setupInputsOf } from "./verification/setup-inputs.js";
export { compareTrees, describeVerification, MAX_VERDICT_NAMES, RunVerification } from "./verification/verdict.js";
export { formatZodError, parseWith } from "./zod-error.js";
