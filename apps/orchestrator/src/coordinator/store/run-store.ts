import type { Attempt, AuditEvent, CostEvent, CostReport, Job, RunEvent, Task } from "@bernstein/core";
import {
  COORDINATOR_MIGRATIONS,
  coordinatorSchema,
  costEvents,
  ROWS,
  type RunRow,
  runCostReportOf,
} from "@bernstein/db";
import { asc } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { ImportedRun } from "./d1-import.js";

/** The tables whose changed rows reach D1 through the outbox. */
export type OutboxTable = "runs" | "tasks" | "attempts" | "jobs";

/** What one committed transaction writes. */
export interface RunChanges {
  /** The run row, when it changed. */
  run: RunRow | null;
  tasks: readonly Task[];
  attempts: readonly Attempt[];
  jobs: readonly Job[];
  events: readonly RunEvent[];
  audits: readonly AuditEvent[];
  costs: readonly CostEvent[];
  /** The memory document, when it changed. */
  memory: string | null;
  /** Feedback for a task's next attempt (null clears it). */
  feedback: ReadonlyMap<string, string | null>;
}

/** A run as its coordinator's SQLite holds it, read when the object wakes. */
export interface StoredRun {
  run: RunRow;
  tasks: Task[];
  attempts: Attempt[];
  jobs: Job[];
  lastSeq: number;
  memory: string | null;
}

/** What D1 lacks: the outbox entries (oldest first) and the appended rows after D1's cursors. */
export interface ReadModelPending {
  rows: { table: OutboxTable; rows: Record<string, unknown>[] }[];
  events: RunEvent[];
  audits: AuditEvent[];
  costs: CostEvent[];
  /** Acknowledge with this once D1 has all of it. */
  upTo: Cursor;
  /** Some kind filled the limit: more may be pending beyond it. */
  more: boolean;
}

export interface Cursor {
  gen: number;
  pos: number;
  eventSeq: number;
  auditSeq: number;
  costId: number;
}

type CoordinatorDb = DrizzleSqliteDODatabase<typeof coordinatorSchema>;

/**
 * A run's state in its coordinator's own SQLite (drizzle's durable-sqlite driver, migrations
 * from `@bernstein/db`). `commit` writes one transaction: rows, events, audit links, cost rows,
 * the memory, and the outbox of what D1 does not have yet. Rows are written with prepared SQL
 * derived from the schema (`ROWS`): no query building on the hot path.
 */
export class RunStore {
  readonly db: CoordinatorDb;
  private readonly sql: SqlStorage;
  private cursorRead: Cursor | undefined;
  private runIdRead: string | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.db = drizzle(storage, { schema: coordinatorSchema });
  }

  /** True when this object holds a run (its tables were created). */
  exists(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'read_model'").toArray().length > 0
    );
  }

  /** Creates or updates the tables (idempotent). */
  async migrate(): Promise<void> {
    await migrate(this.db, COORDINATOR_MIGRATIONS);
    this.sql.exec(
      "INSERT INTO read_model (id, gen, pos, event_seq, audit_seq, cost_id) VALUES (1, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING",
    );
  }

  /** The run, or null when none was created here. */
  load(): StoredRun | null {
    if (!this.exists()) return null;
    const runRow = this.sql.exec("SELECT * FROM runs LIMIT 1").toArray()[0];
    if (!runRow) return null;
    const all = <R extends Record<string, unknown>>(rows: { fromDriver(raw: Record<string, unknown>): R }, q: string) =>
      this.sql
        .exec(q)
        .toArray()
        .map((raw) => rows.fromDriver(raw));
    const memory = this.sql.exec("SELECT data FROM coordinator_memory WHERE id = 1").toArray()[0];
    const last = this.sql
      .exec("SELECT coalesce(max(seq), 0) AS seq FROM events WHERE run_id = ?", String(runRow.id))
      .one();
    return {
      run: ROWS.runs.fromDriver(runRow),
      tasks: all(ROWS.tasks, 'SELECT * FROM tasks ORDER BY "order", id'),
      attempts: all(ROWS.attempts, "SELECT * FROM attempts ORDER BY started_at, id"),
      jobs: all(ROWS.jobs, "SELECT * FROM jobs ORDER BY created_at, id"),
      lastSeq: Number(last.seq),
      memory: memory ? String(memory.data) : null,
    };
  }

  /**
   * Writes a run that D1 already holds (see `d1-import.ts`) as this object's state, in one
   * transaction: nothing enters the outbox and D1's cursors start past every row, since D1
   * has them all.
   */
  async importRun(imported: ImportedRun): Promise<void> {
    await this.migrate();
    this.storage.transactionSync(() => {
      this.sql.exec(ROWS.runs.insert(1, "fail"), ...ROWS.runs.values(imported.run));
      for (const task of imported.tasks) this.sql.exec(ROWS.tasks.insert(1, "fail"), ...ROWS.tasks.values(task));
      for (const a of imported.attempts) this.sql.exec(ROWS.attempts.insert(1, "fail"), ...ROWS.attempts.values(a));
      for (const job of imported.jobs) this.sql.exec(ROWS.jobs.insert(1, "fail"), ...ROWS.jobs.values(job));
      for (const event of imported.events) this.sql.exec(ROWS.events.insert(1, "fail"), ...ROWS.events.values(event));
      for (const link of imported.audits)
        this.sql.exec(ROWS.auditEvents.insert(1, "fail"), ...ROWS.auditEvents.values(link));
      for (const cost of imported.costs)
        this.sql.exec(ROWS.costEvents.insert(1, "ignore"), ...ROWS.costEvents.values(cost));
      if (imported.memory !== null) {
        this.sql.exec("INSERT INTO coordinator_memory (id, data) VALUES (1, ?)", imported.memory);
      }
      for (const [taskId, text] of imported.feedback) {
        this.sql.exec("INSERT INTO task_feedback (task_id, text) VALUES (?, ?)", taskId, text);
      }
      const costId = this.sql.exec("SELECT coalesce(max(id), 0) AS id FROM cost_events").one().id;
      this.sql.exec(
        "UPDATE read_model SET event_seq = ?, audit_seq = ?, cost_id = ? WHERE id = 1",
        imported.lastSeq,
        imported.audits.at(-1)?.seq ?? 0,
        Number(costId),
      );
      this.cursorRead = undefined;
      this.runIdRead = undefined;
    });
  }

  /**
   * The id of the run this object holds, read once. Every query of the run's append-only tables
   * names it: their keys begin with `run_id`, so without it SQLite scans the whole table.
   */
  private get runId(): string {
    if (this.runIdRead === undefined) {
      const row = this.sql.exec("SELECT id FROM runs LIMIT 1").toArray()[0];
      if (!row) return "";
      this.runIdRead = String(row.id);
    }
    return this.runIdRead;
  }

  /** The commit counter, outbox position and D1's cursors, read once. */
  private get cursor(): Cursor {
    if (!this.cursorRead) {
      const row = this.sql.exec("SELECT * FROM read_model WHERE id = 1").one();
      this.cursorRead = {
        gen: Number(row.gen),
        pos: Number(row.pos),
        eventSeq: Number(row.event_seq),
        auditSeq: Number(row.audit_seq),
        costId: Number(row.cost_id),
      };
    }
    return this.cursorRead;
  }

  /** Writes one transaction's changes atomically, and marks the changed rows for D1. */
  commit(changes: RunChanges): void {
    this.storage.transactionSync(() => {
      const gen = this.cursor.gen + 1;
      if (changes.run) this.upsert("runs", ROWS.runs, [changes.run], gen);
      this.upsert("tasks", ROWS.tasks, changes.tasks, gen);
      this.upsert("attempts", ROWS.attempts, changes.attempts, gen);
      this.upsert("jobs", ROWS.jobs, changes.jobs, gen);
      for (const event of changes.events) this.sql.exec(ROWS.events.insert(1, "fail"), ...ROWS.events.values(event));
      for (const link of changes.audits)
        this.sql.exec(ROWS.auditEvents.insert(1, "fail"), ...ROWS.auditEvents.values(link));
      for (const cost of changes.costs) {
        this.sql.exec(ROWS.costEvents.insert(1, "ignore"), ...ROWS.costEvents.values(cost));
      }
      if (changes.memory !== null) {
        this.sql.exec(
          "INSERT INTO coordinator_memory (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data",
          changes.memory,
        );
      }
      for (const [taskId, text] of changes.feedback) {
        if (text === null) this.sql.exec("DELETE FROM task_feedback WHERE task_id = ?", taskId);
        else
          this.sql.exec(
            "INSERT INTO task_feedback (task_id, text) VALUES (?, ?) ON CONFLICT (task_id) DO UPDATE SET text = excluded.text",
            taskId,
            text,
          );
      }
      this.sql.exec("UPDATE read_model SET gen = ?, pos = ? WHERE id = 1", gen, this.cursor.pos);
      this.cursor.gen = gen;
    });
  }

  /** Feedback for a task's next attempt, if any. */
  feedback(taskId: string): string | null {
    const row = this.sql.exec("SELECT text FROM task_feedback WHERE task_id = ?", taskId).toArray()[0];
    return row ? String(row.text) : null;
  }

  /** Whether the usage of this model call (attempt, or null for planning, and step) is recorded. */
  hasUsage(attemptId: string | null, step: string): boolean {
    return (
      this.sql
        .exec(
          "SELECT 1 FROM cost_events WHERE run_id = ? AND coalesce(attempt_id, '') = ? AND step = ?",
          this.runId,
          attemptId ?? "",
          step,
        )
        .toArray().length > 0
    );
  }

  /** The run's cost report: the grouping queries D1's report of every run runs too (`@bernstein/db`). */
  costReport(run: Pick<RunRow, "id" | "budgetUsd" | "spentUsd">, now: number): CostReport {
    return runCostReportOf(this.db, run, this.costEvents(), now);
  }

  /** The run's cost rows in the order they happened. */
  costEvents(): CostEvent[] {
    return this.db
      .select()
      .from(costEvents)
      .orderBy(asc(costEvents.at), asc(costEvents.id))
      .all()
      .map(({ id: _id, ...event }) => event);
  }

  /** The run's audit chain in seq order, or its first `limit` links (D1 may not hold them all yet). */
  auditChain(limit = -1): AuditEvent[] {
    return this.sql
      .exec("SELECT * FROM audit_events WHERE run_id = ? ORDER BY seq LIMIT ?", this.runId, limit)
      .toArray()
      .map((raw) => ROWS.auditEvents.fromDriver(raw));
  }

  /** Events with `seq > after`, ascending, at most `limit`. */
  eventsAfter(after: number, limit: number): RunEvent[] {
    return this.sql
      .exec("SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", this.runId, after, limit)
      .toArray()
      .map((raw) => ROWS.events.fromDriver(raw));
  }

  /** Whether D1 lacks anything. */
  hasPending(): boolean {
    if (this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0) return true;
    const c = this.cursor;
    return (
      this.sql.exec("SELECT 1 FROM events WHERE run_id = ? AND seq > ? LIMIT 1", this.runId, c.eventSeq).toArray()
        .length > 0 ||
      this.sql.exec("SELECT 1 FROM audit_events WHERE run_id = ? AND seq > ? LIMIT 1", this.runId, c.auditSeq).toArray()
        .length > 0 ||
      this.sql.exec("SELECT 1 FROM cost_events WHERE id > ? LIMIT 1", c.costId).toArray().length > 0
    );
  }

  /**
   * Up to `limit` outbox entries (as their rows are now) and appended rows D1 lacks. Read in one
   * synchronous go, so it is one consistent state of the run.
   */
  pending(limit: number): ReadModelPending {
    const c = this.cursor;
    const entries = this.sql
      .exec("SELECT tbl, pos FROM outbox ORDER BY pos LIMIT ?", limit)
      .toArray()
      .map((e) => ({ table: String(e.tbl) as OutboxTable, pos: Number(e.pos) }));
    const lastPos = entries.at(-1)?.pos ?? 0;
    // The listed rows as they are now: one query per table (in outbox order), not one per entry.
    const rows: ReadModelPending["rows"] = [];
    for (const table of new Set(entries.map((e) => e.table))) {
      const found = this.sql
        .exec(
          `SELECT t.* FROM outbox o JOIN "${ROWS[table].name}" t ON t.id = o.key WHERE o.tbl = ? AND o.pos <= ? ORDER BY o.pos`,
          table,
          lastPos,
        )
        .toArray()
        .map((raw) => ROWS[table].fromDriver(raw));
      if (found.length > 0) rows.push({ table, rows: found });
    }
    const events = this.sql
      .exec("SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", this.runId, c.eventSeq, limit)
      .toArray()
      .map((raw) => ROWS.events.fromDriver(raw));
    const audits = this.sql
      .exec(
        "SELECT * FROM audit_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        this.runId,
        c.auditSeq,
        limit,
      )
      .toArray()
      .map((raw) => ROWS.auditEvents.fromDriver(raw));
    const costRows = this.sql
      .exec("SELECT * FROM cost_events WHERE id > ? ORDER BY id LIMIT ?", c.costId, limit)
      .toArray();
    const costs = costRows.map((raw) => ROWS.costEvents.fromDriver(raw));
    return {
      rows,
      events,
      audits,
      costs,
      upTo: {
        gen: c.gen,
        pos: lastPos,
        eventSeq: events.at(-1)?.seq ?? c.eventSeq,
        auditSeq: audits.at(-1)?.seq ?? c.auditSeq,
        costId: costRows.length > 0 ? Number(costRows.at(-1)?.id) : c.costId,
      },
      more: [entries, events, audits, costRows].some((list) => list.length >= limit),
    };
  }

  /**
   * D1 has what `pending` returned: its outbox entries go, unless their row changed again since
   * (a later `gen`), and the cursors of the appended tables move on.
   */
  acknowledge(upTo: Cursor): void {
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM outbox WHERE pos <= ? AND gen <= ?", upTo.pos, upTo.gen);
      this.cursor.eventSeq = upTo.eventSeq;
      this.cursor.auditSeq = upTo.auditSeq;
      this.cursor.costId = upTo.costId;
      this.sql.exec(
        "UPDATE read_model SET event_seq = ?, audit_seq = ?, cost_id = ? WHERE id = 1",
        upTo.eventSeq,
        upTo.auditSeq,
        upTo.costId,
      );
    });
  }

  private upsert<R extends Record<string, unknown>>(
    table: OutboxTable,
    rows: { insert(count: number, onConflict: "upsert"): string; values(row: R): unknown[] },
    list: readonly R[],
    gen: number,
  ): void {
    for (const row of list) {
      this.sql.exec(rows.insert(1, "upsert"), ...rows.values(row));
      this.cursor.pos += 1;
      this.sql.exec(
        "INSERT INTO outbox (tbl, key, pos, gen) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET gen = excluded.gen",
        table,
        String(row.id),
        this.cursor.pos,
        gen,
      );
    }
  }
}
