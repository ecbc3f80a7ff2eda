import {
  type Attempt,
  type AuditEvent,
  type CostEvent,
  type CostReport,
  type Job,
  LIMITS,
  type RunEvent,
  type Task,
} from "@bernstein/core";
import {
  attempts,
  COORDINATOR_MIGRATIONS,
  coordinatorSchema,
  costEvents,
  jobs,
  ROWS,
  type RunRow,
  runCostReportOf,
  runs,
  tasks,
} from "@bernstein/db";
import { asc } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { AppendedTail } from "./appended-tail.js";
import type { ImportedRun } from "./d1-import.js";
import { Outbox, type OutboxEntry, type OutboxTable, type WrittenRow } from "./outbox.js";
import { RowUpdate } from "./row-update.js";

export type { OutboxTable } from "./outbox.js";

/** A row a transaction writes, and the row as stored before it (null for a new row). */
export interface RowChange<R> {
  row: R;
  before: R | null;
}

/** What one committed transaction writes. */
export interface RunChanges {
  /** The run row, when it changed. */
  run: RowChange<RunRow> | null;
  tasks: readonly RowChange<Task>[];
  attempts: readonly RowChange<Attempt>[];
  jobs: readonly RowChange<Job>[];
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

/** How each table of the outbox is written: a new row whole, a stored one by its changed columns. */
const WRITERS = {
  runs: { rows: ROWS.runs, update: new RowUpdate<RunRow>(runs) },
  tasks: { rows: ROWS.tasks, update: new RowUpdate<Task>(tasks) },
  attempts: { rows: ROWS.attempts, update: new RowUpdate<Attempt>(attempts) },
  jobs: { rows: ROWS.jobs, update: new RowUpdate<Job>(jobs) },
} as const;

/** A usage's identity, as the unique (run, attempt, step) index of cost rows knows it. */
const usageKey = (attemptId: string | null, step: string) => `${attemptId ?? ""}\n${step}`;

/**
 * A run's state in its coordinator's own SQLite (drizzle's durable-sqlite driver, migrations
 * from `@bernstein/db`). `commit` writes one transaction: rows, events, audit links, cost rows,
 * the memory, and the outbox of what D1 does not have yet (`outbox.ts`). Rows are written with
 * prepared SQL derived from the schema (`ROWS`, `RowUpdate`): no query building on the hot path.
 */
export class RunStore {
  readonly db: CoordinatorDb;
  private readonly sql: SqlStorage;
  private readonly outbox: Outbox;
  private cursorRead: Cursor | undefined;
  private runIdRead: string | undefined;
  /** The usages recorded (see `usageKey`), read once: a replayed step is known without a query. */
  private usages: Set<string> | undefined;
  /** Events and audit links D1 lacks, as committed (see `appended-tail.ts`). */
  private readonly eventTail = new AppendedTail<RunEvent>();
  private readonly auditTail = new AppendedTail<AuditEvent>();
  /**
   * D1 is known to have every cost row (a drain took them all and none was appended since):
   * the drain and `hasPending` skip their query. Cost rows are numbered by SQLite, so they are
   * read back rather than kept.
   */
  private costsDrained = false;
  /** The last `pending` read: its commit, and whether it took every cost row. */
  private lastRead: { gen: number; allCosts: boolean } | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.db = drizzle(storage, { schema: coordinatorSchema });
    this.outbox = new Outbox(this.sql);
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
      "INSERT INTO read_model (id, event_seq, audit_seq, cost_id) VALUES (1, 0, 0, 0) ON CONFLICT DO NOTHING",
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
      this.append(ROWS.events, imported.events, "fail");
      this.append(ROWS.auditEvents, imported.audits, "fail");
      this.append(ROWS.costEvents, imported.costs, "ignore");
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
      this.usages = undefined;
      this.eventTail.reset();
      this.auditTail.reset();
      this.costsDrained = false;
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

  /** D1's cursors of the appended tables, read once. */
  private get cursor(): Cursor {
    if (!this.cursorRead) {
      const row = this.sql.exec("SELECT * FROM read_model WHERE id = 1").one();
      this.cursorRead = {
        gen: 0,
        pos: 0,
        eventSeq: Number(row.event_seq),
        auditSeq: Number(row.audit_seq),
        costId: Number(row.cost_id),
      };
    }
    return this.cursorRead;
  }

  /** Writes one transaction's changes atomically, and marks the changed rows for D1. */
  commit(changes: RunChanges): void {
    const gen = this.outbox.gen + 1;
    const written: WrittenRow[] = [];
    this.storage.transactionSync(() => {
      if (changes.run) this.write("runs", [changes.run], written);
      this.write("tasks", changes.tasks, written);
      this.write("attempts", changes.attempts, written);
      this.write("jobs", changes.jobs, written);
      this.append(ROWS.events, changes.events, "fail");
      this.append(ROWS.auditEvents, changes.audits, "fail");
      this.append(ROWS.costEvents, changes.costs, "ignore");
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
      this.outbox.store(gen, written);
    });
    this.outbox.committed(gen, written);
    this.eventTail.appended(changes.events);
    this.auditTail.appended(changes.audits);
    if (changes.costs.length > 0) this.costsDrained = false;
    if (this.usages) for (const cost of changes.costs) this.usages.add(usageKey(cost.attemptId, cost.step));
  }

  /** Feedback for a task's next attempt, if any. */
  feedback(taskId: string): string | null {
    const row = this.sql.exec("SELECT text FROM task_feedback WHERE task_id = ?", taskId).toArray()[0];
    return row ? String(row.text) : null;
  }

  /** Whether the usage of this model call (attempt, or null for planning, and step) is recorded. */
  hasUsage(attemptId: string | null, step: string): boolean {
    if (!this.usages) {
      this.usages = new Set(
        this.sql
          .exec("SELECT attempt_id, step FROM cost_events WHERE run_id = ?", this.runId)
          .toArray()
          .map((row) => usageKey(row.attempt_id === null ? null : String(row.attempt_id), String(row.step))),
      );
    }
    return this.usages.has(usageKey(attemptId, step));
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
    if (this.outbox.size > 0) return true;
    const c = this.cursor;
    const events = this.eventTail.known;
    const audits = this.auditTail.known;
    if (events ? events.length > 0 : this.after("events", c.eventSeq)) return true;
    if (audits ? audits.length > 0 : this.after("audit_events", c.auditSeq)) return true;
    this.costsDrained ||=
      this.sql.exec("SELECT 1 FROM cost_events WHERE id > ? LIMIT 1", c.costId).toArray().length === 0;
    return !this.costsDrained;
  }

  /** Whether `table` (events or audit links) has rows after `seq`. */
  private after(table: "events" | "audit_events", seq: number): boolean {
    return (
      this.sql.exec(`SELECT 1 FROM ${table} WHERE run_id = ? AND seq > ? LIMIT 1`, this.runId, seq).toArray().length > 0
    );
  }

  /**
   * Up to `limit` outbox entries (as their rows are now) and appended rows D1 lacks. Read in one
   * synchronous go, so it is one consistent state of the run.
   */
  pending(limit: number): ReadModelPending {
    const c = this.cursor;
    const gen = this.outbox.gen;
    const entries = this.outbox.first(limit);
    const rows: ReadModelPending["rows"] = [];
    for (let i = 0; i < entries.length; ) {
      const table = (entries[i] as OutboxEntry).table;
      let end = i;
      while (end < entries.length && (entries[end] as OutboxEntry).table === table) end += 1;
      const found = this.rowsOf(table, entries.slice(i, end));
      if (found.length > 0) rows.push({ table, rows: found });
      i = end;
    }
    const events = this.tail(this.eventTail, ROWS.events, "events", c.eventSeq, limit);
    const audits = this.tail(this.auditTail, ROWS.auditEvents, "audit_events", c.auditSeq, limit);
    const costRows = this.costsDrained
      ? []
      : this.sql.exec("SELECT * FROM cost_events WHERE id > ? ORDER BY id LIMIT ?", c.costId, limit).toArray();
    const costs = costRows.map((raw) => ROWS.costEvents.fromDriver(raw));
    this.lastRead = { gen, allCosts: costRows.length < limit };
    return {
      rows,
      events,
      audits,
      costs,
      upTo: {
        gen,
        pos: entries.at(-1)?.pos ?? 0,
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
    const c = this.cursor;
    // One statement: atomic without a transaction of its own.
    const from = this.outbox.acknowledge(upTo.pos, upTo.gen);
    const moved = c.eventSeq !== upTo.eventSeq || c.auditSeq !== upTo.auditSeq || c.costId !== upTo.costId;
    if (moved || from !== this.outbox.from) {
      this.sql.exec(
        "UPDATE read_model SET event_seq = ?, audit_seq = ?, cost_id = ?, outbox_from = ? WHERE id = 1",
        upTo.eventSeq,
        upTo.auditSeq,
        upTo.costId,
        from,
      );
    }
    this.outbox.freed(from);
    c.eventSeq = upTo.eventSeq;
    c.auditSeq = upTo.auditSeq;
    c.costId = upTo.costId;
    this.eventTail.acknowledged(upTo.eventSeq);
    this.auditTail.acknowledged(upTo.auditSeq);
    // Nothing committed since that read, which took every cost row: D1 has them all.
    if (this.lastRead?.gen === upTo.gen && this.lastRead.allCosts && this.outbox.gen === upTo.gen) {
      this.costsDrained = true;
    }
  }

  /**
   * Up to `limit` rows of an appended table after `seq`: those kept as committed, or read
   * (and kept from then on when the read took them all).
   */
  private tail<R extends { seq: number }>(
    kept: AppendedTail<R>,
    rows: { fromDriver(raw: Record<string, unknown>): R },
    table: "events" | "audit_events",
    seq: number,
    limit: number,
  ): R[] {
    const known = kept.known;
    if (known) return known.slice(0, limit);
    const read = this.sql
      .exec(`SELECT * FROM ${table} WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`, this.runId, seq, limit)
      .toArray()
      .map((raw) => rows.fromDriver(raw));
    if (read.length < limit) kept.read(read);
    return read;
  }

  /**
   * The rows of these entries of `table`, in their order: as their last commit wrote them, or
   * read (a query per 100 keys) for entries read back after a wake; a row gone is left out.
   */
  private rowsOf(table: OutboxTable, entries: readonly OutboxEntry[]): Record<string, unknown>[] {
    const keys = entries.flatMap((entry) => (entry.row ? [] : [entry.key]));
    const read = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < keys.length; i += LIMITS.d1MaxBoundParameters) {
      const chunk = keys.slice(i, i + LIMITS.d1MaxBoundParameters);
      const marks = "?, ".repeat(chunk.length).slice(0, -2);
      for (const raw of this.sql.exec(`SELECT * FROM "${table}" WHERE id IN (${marks})`, ...chunk)) {
        read.set(String(raw.id), WRITERS[table].rows.fromDriver(raw));
      }
    }
    return entries.flatMap((entry) => {
      const row = entry.row ?? read.get(entry.key);
      return row ? [row] : [];
    });
  }

  /**
   * Writes changed rows of `table`: new rows whole (several a statement), stored rows by the
   * columns that changed; a row the change left as it was is not written, nor sent to D1.
   */
  private write<R extends { id: string }>(
    table: OutboxTable,
    changes: readonly RowChange<R>[],
    written: WrittenRow[],
  ): void {
    const { rows, update } = WRITERS[table] as unknown as {
      rows: {
        rowsPerStatement: number;
        insert(count: number, onConflict: "upsert"): string;
        values(row: R): unknown[];
      };
      update: RowUpdate<R>;
    };
    const fresh: R[] = [];
    for (const { row, before } of changes) {
      if (before === null) {
        fresh.push(row);
        written.push([table, row.id, row]);
        continue;
      }
      const statement = update.of(before, row);
      if (!statement) continue;
      this.sql.exec(statement.sql, ...statement.values);
      written.push([table, row.id, row]);
    }
    for (let i = 0; i < fresh.length; i += rows.rowsPerStatement) {
      const chunk = fresh.slice(i, i + rows.rowsPerStatement);
      this.sql.exec(rows.insert(chunk.length, "upsert"), ...chunk.flatMap((row) => rows.values(row)));
    }
  }

  /** Appends rows, several a statement (within the bound-parameter limit Durable Objects share with D1). */
  private append<R>(
    rows: {
      rowsPerStatement: number;
      insert(count: number, onConflict: "fail" | "ignore"): string;
      values(row: R): unknown[];
    },
    list: readonly R[],
    onConflict: "fail" | "ignore",
  ): void {
    for (let i = 0; i < list.length; i += rows.rowsPerStatement) {
      const chunk = list.slice(i, i + rows.rowsPerStatement);
      this.sql.exec(rows.insert(chunk.length, onConflict), ...chunk.flatMap((row) => rows.values(row)));
    }
  }
}
