/**
 * The tables of a run's state (ARCHITECTURE.md section 5). The same definitions serve both
 * databases: a run's coordinator keeps its run in these tables in its own SQLite (with the
 * tables of `coordinator-schema.ts`), and D1 holds them as the read model across runs, drained
 * from the coordinator's outbox. A row's type is the core type, field for field (checked by
 * `test/row-types.test.ts`), so rows need no hand-written mapping; columns are snake_case.
 * Imports from core are type-only so drizzle-kit can load this file on its own.
 */
import type {
  AttemptStatus,
  CommandPolicy,
  CompletionSignal,
  ErrorJson,
  JobKind,
  JobStatus,
  JobVerifySpec,
  RunEventType,
  RunStatus,
  RunVerification,
  TaskStatus,
} from "@bernstein/core";
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ArtifactKind } from "./artifact.js";

type JsonObject = Record<string, unknown>;

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    goal: text("goal").notNull(),
    status: text("status").$type<RunStatus>().notNull(),
    model: text("model").notNull(),
    plannerModel: text("planner_model").notNull(),
    maxAgents: integer("max_agents").notNull(),
    maxRetries: integer("max_retries").notNull(),
    budgetUsd: real("budget_usd"),
    spentUsd: real("spent_usd").notNull().default(0),
    baseSnapshot: text("base_snapshot").notNull(),
    baseCommit: text("base_commit"),
    verifyCommands: text("verify_commands", { mode: "json" }).$type<string[]>().notNull(),
    verifySetup: text("verify_setup", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    verifySetupInputs: text("verify_setup_inputs", { mode: "json" }).$type<string[]>(),
    verifyReports: text("verify_reports", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    repository: text("repository"),
    verification: text("verification", { mode: "json" }).$type<RunVerification>(),
    /** What the agents' `run_command` may run (null: the defaults, for runs made before it existed). */
    commands: text("commands", { mode: "json" }).$type<CommandPolicy>(),
    approveAll: integer("approve_all", { mode: "boolean" }).notNull(),
    integrationSeq: integer("integration_seq").notNull().default(0),
    integrationManifest: text("integration_manifest").notNull(),
    error: text("error", { mode: "json" }).$type<ErrorJson>(),
    /** Client-chosen key of `POST /v1/runs`: the same key finds the same run. */
    idempotencyKey: text("idempotency_key"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (t) => [
    uniqueIndex("runs_idempotency_key_idx").on(t.idempotencyKey),
    index("runs_created_at_idx").on(t.createdAt),
    index("runs_status_created_at_idx").on(t.status, t.createdAt),
  ],
);

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    planId: text("plan_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    role: text("role").notNull(),
    priority: integer("priority").notNull(),
    order: integer("order").notNull(),
    status: text("status").$type<TaskStatus>().notNull(),
    /** Optimistic version: every write is `WHERE id = ? AND version = <the version read>`. */
    version: integer("version").notNull().default(0),
    /** Real task ids this task waits for, in plan order. */
    dependsOn: text("depends_on", { mode: "json" }).$type<string[]>().notNull().default([]),
    ownedFiles: text("owned_files", { mode: "json" }).$type<string[]>().notNull(),
    completionSignals: text("completion_signals", { mode: "json" }).$type<CompletionSignal[]>().notNull(),
    approvalRequired: integer("approval_required", { mode: "boolean" }).notNull(),
    maxCostUsd: real("max_cost_usd"),
    attempt: integer("attempt").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    summary: text("summary"),
    error: text("error", { mode: "json" }).$type<ErrorJson>(),
    mergedSeq: integer("merged_seq"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("tasks_run_status_idx").on(t.runId, t.status),
    index("tasks_run_order_idx").on(t.runId, t.order),
    uniqueIndex("tasks_run_plan_id_idx").on(t.runId, t.planId),
  ],
);

export const attempts = sqliteTable(
  "attempts",
  {
    /** The Workflow instance id `<run>-<task>-a<n>`. */
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    n: integer("n").notNull(),
    status: text("status").$type<AttemptStatus>().notNull(),
    model: text("model").notNull(),
    baseSeq: integer("base_seq").notNull(),
    turns: integer("turns").notNull().default(0),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    tokensCached: integer("tokens_cached").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    patchKey: text("patch_key"),
    patchSha256: text("patch_sha256"),
    resultManifest: text("result_manifest"),
    summary: text("summary"),
    error: text("error", { mode: "json" }).$type<ErrorJson>(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
  },
  // The unique (task_id, n) index also serves "attempts of a task".
  (t) => [uniqueIndex("attempts_task_n_idx").on(t.taskId, t.n), index("attempts_run_idx").on(t.runId)],
);

/** Index of what lives in R2: one row per stored object of a run. */
export const artifacts = sqliteTable(
  "artifacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: text("task_id"),
    attemptId: text("attempt_id"),
    kind: text("kind").$type<ArtifactKind>().notNull(),
    r2Key: text("r2_key").notNull(),
    sha256: text("sha256").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("artifacts_run_task_idx").on(t.runId, t.taskId), uniqueIndex("artifacts_r2_key_idx").on(t.r2Key)],
);

export const costEvents = sqliteTable(
  "cost_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: text("task_id"),
    attemptId: text("attempt_id"),
    step: text("step").notNull(),
    model: text("model").notNull(),
    tokensIn: integer("tokens_in").notNull(),
    tokensOut: integer("tokens_out").notNull(),
    cacheReadTokens: integer("cache_read_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    at: text("at").notNull(),
  },
  (t) => [
    index("cost_events_run_idx").on(t.runId),
    index("cost_events_task_idx").on(t.taskId),
    // One row per model call: a replayed step's usage is not counted twice (`onConflictDoNothing`).
    uniqueIndex("cost_events_call_idx").on(t.runId, sql`coalesce(${t.attemptId}, '')`, t.step),
  ],
);

/** The per-run HMAC chain; `seq` starts at 1, genesis `prev_hmac` is 64 zeros. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    data: text("data", { mode: "json" }).$type<JsonObject>().notNull(),
    prevHmac: text("prev_hmac").notNull(),
    hmac: text("hmac").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** The run's ordered event log, written through from the coordinator for `after=seq` replay. */
export const events = sqliteTable(
  "events",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: text("at").notNull(),
    type: text("type").$type<RunEventType>().notNull(),
    taskId: text("task_id"),
    data: text("data", { mode: "json" }).$type<JsonObject>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** Placeholder for the runner registry (a later issue). */
export const runners = sqliteTable(
  "runners",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    labels: text("labels", { mode: "json" }).$type<string[]>().notNull(),
    /** SHA-256 of the runner's token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    lastSeenAt: text("last_seen_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("runners_token_hash_idx").on(t.tokenHash)],
);

/**
 * The runners' queue of verification jobs. The run's coordinator creates and settles jobs;
 * runners claim them (one atomic UPDATE) and keep them with a lease they renew.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    kind: text("kind").$type<JobKind>().notNull().default("candidate"),
    /** Null for a baseline (an integration tree of the run, no task's). */
    taskId: text("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    attemptId: text("attempt_id"),
    attempt: integer("attempt"),
    status: text("status").$type<JobStatus>().notNull(),
    manifest: text("manifest").notNull(),
    baseCommit: text("base_commit"),
    commands: text("commands", { mode: "json" }).$type<string[]>().notNull(),
    verify: text("verify", { mode: "json" })
      .$type<JobVerifySpec>()
      .notNull()
      .default(sql`'{"setup":[],"setupInputs":null,"reports":[],"signals":[],"workspace":"default"}'`),
    timeoutSeconds: integer("timeout_seconds").notNull(),
    leaseSeconds: integer("lease_seconds").notNull(),
    labels: text("labels", { mode: "json" }).$type<string[]>().notNull(),
    runnerId: text("runner_id"),
    leaseExpiresAt: text("lease_expires_at"),
    claims: integer("claims").notNull().default(0),
    exitCode: integer("exit_code"),
    timedOut: integer("timed_out", { mode: "boolean" }).notNull().default(false),
    durationMs: integer("duration_ms"),
    tail: text("tail"),
    logKey: text("log_key").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("jobs_status_created_idx").on(t.status, t.createdAt), index("jobs_run_idx").on(t.runId)],
);

/** Placeholder for cron-scheduled runs (a later issue). */
export const schedules = sqliteTable("schedules", {
  id: text("id").primaryKey(),
  cron: text("cron").notNull(),
  goal: text("goal").notNull(),
  config: text("config", { mode: "json" }).$type<JsonObject>().notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  lastRunAt: text("last_run_at"),
  createdAt: text("created_at").notNull(),
});

/**
 * Never holds a row: inserting a code into it fails the named CHECK, which aborts the whole
 * `db.batch()` (a D1 batch is one transaction). That is how a stale `version` inside a batch
 * rolls back the other statements of that batch too.
 */
export const batchGuard = sqliteTable("batch_guard", { code: text("code").notNull() }, (t) => [
  check("version_conflict", sql`${t.code} <> 'version_conflict'`),
]);

export type RunRow = typeof runs.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type AttemptRow = typeof attempts.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
export type CostEventRow = typeof costEvents.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type RunnerRow = typeof runners.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type ScheduleRow = typeof schedules.$inferSelect;
