export { applyMigrations, MIGRATIONS_TABLE, type Migration } from "./apply-migrations.js";
export { ARTIFACT_KINDS, type Artifact, type ArtifactInput, type ArtifactKind } from "./artifact.js";
export { runBatch, runInGroups, type Stmt, translateD1Error, withDbErrors } from "./batch.js";
export { COORDINATOR_MIGRATIONS } from "./coordinator-migrations.generated.js";
export * as coordinatorSchema from "./coordinator-schema.js";
export {
  coordinatorMemory,
  outboxCommits,
  readModel,
  type TimerRow,
  taskFeedback,
  timers,
} from "./coordinator-schema.js";
export { createDb, type Db } from "./create-db.js";
export { assertParameterCount, guardD1 } from "./guard-d1.js";
export { MIGRATIONS } from "./migrations.generated.js";
export { chunk, chunkRows, rowsPerStatement } from "./param-budget.js";
export { insertArtifact, insertArtifactStmts, type ListArtifactsOptions, listArtifacts } from "./queries/artifacts.js";
export {
  getAttempt,
  getAttemptsOfRun,
  getAttemptsOfTask,
  insertAttempt,
  insertAttemptStmts,
  updateAttempt,
  updateAttemptStmts,
} from "./queries/attempts.js";
export { getAuditEvents, insertAuditEvents, insertAuditEventsStmts } from "./queries/audit.js";
export {
  type AnySqliteDb,
  type CostFilter,
  type CostGroup,
  type CostTotals,
  costTotals,
  getCostEvents,
  insertCostEvents,
  insertCostEventsStmts,
  PLANNER_ROLE,
  type RunnerGroup,
  type RunnerSeconds,
  runnerSeconds,
  selectCostGroups,
  selectRunnerGroups,
  selectSpendSince,
  sumCosts,
  sumRunnerSeconds,
} from "./queries/cost.js";
export {
  allRunsCostReport,
  budgetShareOf,
  buildCostReport,
  burnRateOf,
  burnSince,
  type CostReportParts,
  runCostReportOf,
} from "./queries/cost-report.js";
export { getEventsAfter, insertEvents, insertEventsStmts, lastEventSeq } from "./queries/events.js";
export {
  type Claim,
  type ClaimOptions,
  cancelJobsOfRunStmts,
  claimJob,
  getJob,
  getJobsOfRun,
  insertJobStmts,
  releaseJob,
  renewJobLease,
  updateJobStmts,
} from "./queries/jobs.js";
export { getRunProgress, type RunProgress } from "./queries/run-progress.js";
export { getRunSnapshot, type RunSnapshot } from "./queries/run-snapshot.js";
export {
  countWaitingJobs,
  getCommandsOfTask,
  listRunners,
  releaseJobsOfReplacedRunners,
} from "./queries/runner-status.js";
export {
  countRunnersSeenSince,
  getRunnerByTokenHash,
  insertRunner,
  type Runner,
  touchRunner,
} from "./queries/runners.js";
export {
  findRunByIdempotencyKey,
  getRun,
  insertRun,
  insertRunStmts,
  type ListRunsOptions,
  listRuns,
  updateRun,
  updateRunStmts,
} from "./queries/runs.js";
export {
  deleteSession,
  getLiveSession,
  insertLoginCode,
  insertSession,
  type LoginCode,
  type RedeemedCode,
  redeemLoginCode,
  type Session,
} from "./queries/sessions.js";
export { getTask, getTasksOfRun, insertTasks, insertTasksStmts, updateTask, updateTaskStmts } from "./queries/tasks.js";
export {
  getLiveToken,
  getTokenByHash,
  hasLiveToken,
  insertToken,
  listTokens,
  replaceToken,
  revokeToken,
  type Token,
  touchToken,
} from "./queries/tokens.js";
export { type OnConflict, RowSql, type RowSqlOptions, type RowWriter } from "./row-sql.js";
export { READ_MODEL_ROWS, ROWS, runOfRow } from "./rows.js";
export * as schema from "./schema.js";
export {
  type ArtifactRow,
  type AttemptRow,
  type AuditEventRow,
  artifacts,
  attempts,
  auditEvents,
  batchGuard,
  type CostEventRow,
  costEvents,
  type EventRow,
  events,
  type JobRow,
  jobs,
  type RunnerRow,
  type RunRow,
  runners,
  runs,
  type ScheduleRow,
  schedules,
  type TaskRow,
  tasks,
} from "./schema.js";
export { type LoginCodeRow, loginCodes, type SessionRow, sessions } from "./schema-sessions.js";
export { type TokenRow, tokens } from "./schema-tokens.js";
