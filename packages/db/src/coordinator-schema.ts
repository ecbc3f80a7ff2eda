/**
 * The SQLite of one run's coordinator (a Durable Object's own storage): the run's tables, the
 * same definitions D1 holds as the read model, and what only the coordinator keeps: its memory
 * (merge queue, budget reservations, ...), feedback for the next attempts, the outbox of rows
 * not yet in D1, and the due times its one alarm serves. drizzle-kit generates its migrations
 * into `drizzle-coordinator/` (`drizzle.coordinator.config.ts`).
 */
import type { RunEventType } from "@bernstein/core";
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { runs } from "./schema.js";

export { attempts, jobs, runs, tasks } from "./schema.js";

type JsonObject = Record<string, unknown>;

// The appended tables as one run's coordinator keeps them: D1's columns (the same SQL writes
// both), keyed for a single run. An event's or audit link's `seq` is the rowid, so appending
// one is one row written: D1's (run_id, seq) key adds an index entry to each (another row
// written). Of the cost rows' indexes only the unique one of a call stays (a replayed step's
// usage is written once); by run or by task, a single run's rows are read whole anyway.

/** The run's ordered event log (`after=seq` replay); drained to D1's `events`. */
export const events = sqliteTable("events", {
  runId: text("run_id")
    .notNull()
    .references(() => runs.id, { onDelete: "cascade" }),
  seq: integer("seq").primaryKey(),
  at: text("at").notNull(),
  type: text("type").$type<RunEventType>().notNull(),
  taskId: text("task_id"),
  data: text("data", { mode: "json" }).$type<JsonObject>().notNull(),
});

/** The run's HMAC chain; drained to D1's `audit_events`. */
export const auditEvents = sqliteTable("audit_events", {
  runId: text("run_id")
    .notNull()
    .references(() => runs.id, { onDelete: "cascade" }),
  seq: integer("seq").primaryKey(),
  at: text("at").notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  data: text("data", { mode: "json" }).$type<JsonObject>().notNull(),
  prevHmac: text("prev_hmac").notNull(),
  hmac: text("hmac").notNull(),
});

/** The run's usage, one row per model call; drained to D1's `cost_events` after their `id`. */
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
  (t) => [uniqueIndex("cost_events_call_idx").on(t.runId, sql`coalesce(${t.attemptId}, '')`, t.step)],
);

/** The coordinator's memory beyond its rows: one JSON document, in one row. */
export const coordinatorMemory = sqliteTable(
  "coordinator_memory",
  {
    id: integer("id").primaryKey(),
    data: text("data", { mode: "json" }).$type<JsonObject>().notNull(),
  },
  (t) => [check("coordinator_memory_one_row", sql`${t.id} = 1`)],
);

/** What a task's next attempt reads about the last one (a failure, a conflict). */
export const taskFeedback = sqliteTable("task_feedback", {
  taskId: text("task_id").primaryKey(),
  text: text("text").notNull(),
});

/**
 * Rows changed since D1 last saw them, one entry per commit (`gen`): the `[table, key]` of
 * every row it wrote, in write order (so a row reaches D1 after the rows it refers to). One
 * row written per commit, however many rows it wrote: an entry D1 no longer needs (its `gen`
 * is below `read_model.outbox_from`) is not deleted but its slot taken by a later commit (see
 * the coordinator's `store/outbox.ts`). The drain copies each row as it is now, so many
 * changes of one row cost one write.
 */
export const outboxCommits = sqliteTable("outbox_commits", {
  slot: integer("slot").primaryKey(),
  gen: integer("gen").notNull(),
  rows: text("rows", { mode: "json" }).$type<[string, string][]>().notNull(),
});

/**
 * How far D1 has the run's append-only tables (events and audit links by seq, cost events by
 * their local id), and the oldest outbox entry it may lack (`outbox_from`, a commit's gen).
 */
export const readModel = sqliteTable(
  "read_model",
  {
    id: integer("id").primaryKey(),
    eventSeq: integer("event_seq").notNull(),
    auditSeq: integer("audit_seq").notNull(),
    costId: integer("cost_id").notNull(),
    outboxFrom: integer("outbox_from").notNull().default(0),
  },
  (t) => [check("read_model_one_row", sql`${t.id} = 1`)],
);

/** Due times of the coordinator's one alarm: `(kind, key)` runs at `dueAt` (epoch ms). */
export const timers = sqliteTable(
  "timers",
  {
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    dueAt: integer("due_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] }), index("timers_due_idx").on(t.dueAt)],
);

export type TimerRow = typeof timers.$inferSelect;
