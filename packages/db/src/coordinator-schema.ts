/**
 * The SQLite of one run's coordinator (a Durable Object's own storage): the run's tables, the
 * same definitions D1 holds as the read model, and what only the coordinator keeps: its memory
 * (merge queue, budget reservations, ...), feedback for the next attempts, the outbox of rows
 * not yet in D1, and the due times its one alarm serves. drizzle-kit generates its migrations
 * into `drizzle-coordinator/` (`drizzle.coordinator.config.ts`).
 */
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { attempts, auditEvents, costEvents, events, jobs, runs, tasks } from "./schema.js";

type JsonObject = Record<string, unknown>;

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
 * insert per commit, however many rows it wrote; an entry goes once D1 has all of its rows
 * (see the coordinator's `store/outbox.ts`). The drain copies each row as it is now, so many
 * changes of one row cost one write.
 */
export const outboxCommits = sqliteTable("outbox_commits", {
  gen: integer("gen").primaryKey(),
  rows: text("rows", { mode: "json" }).$type<[string, string][]>().notNull(),
});

/**
 * How far D1 has the run's append-only tables (events and audit links by seq, cost events by
 * their local id).
 */
export const readModel = sqliteTable(
  "read_model",
  {
    id: integer("id").primaryKey(),
    eventSeq: integer("event_seq").notNull(),
    auditSeq: integer("audit_seq").notNull(),
    costId: integer("cost_id").notNull(),
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
