import { guardD1, READ_MODEL_ROWS, type RowWriter } from "@bernstein/db";
import { wakeClaims } from "../../claim-wake.js";
import { yieldToIo } from "../../yield-to-io.js";
import type { OutboxTable, ReadModelPending, RunStore } from "./run-store.js";

/**
 * Outbox entries (and appended rows of each kind) one drain step reads, in one synchronous go:
 * 2,000 (a 5,000-task plan's drain) held the thread for about 45 ms a step; 500 for about 12.
 */
const ENTRIES_PER_STEP = 500;
/**
 * Statements per D1 batch: well under D1's 1,000, so a large drain (thousands of tasks) is a
 * series of short batches and never holds up other requests for long.
 */
const STATEMENTS_PER_BATCH = 100;

/**
 * D1 as the read model of one run: the drain copies what the coordinator's outbox lists (rows
 * as they are now, events, audit links and cost rows after D1's cursors) into D1, in order
 * (parents first, each table's rows in outbox order), in one batch for however many commits
 * it covers, then acknowledges it. Every statement is idempotent (upserts, inserts that ignore a known
 * key), so a drain cut short by a crash and run again writes the same rows once. One drain
 * runs at a time; a drain asked for while one runs makes it go round once more.
 */
export class ReadModel {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly d1: D1Database;

  constructor(
    private readonly rows: RunStore,
    d1: D1Database,
    /** Test hook (`READ_MODEL_HOLD`): drains do nothing, as if the object always stopped first. */
    private readonly options: { hold: boolean },
  ) {
    this.d1 = guardD1(d1);
  }

  /** Drains until D1 has everything committed so far. */
  drain(): Promise<void> {
    if (this.options.hold) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      try {
        do {
          this.again = false;
          while (await this.step()) {}
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  /**
   * One step: what is pending, up to a limit, in D1. True when more may be pending (a kind
   * filled the limit); what is committed meanwhile makes `drain` go round again (`again`), so
   * a step that took everything needs no second read to find nothing.
   */
  private async step(): Promise<boolean> {
    const pending = this.rows.pending(ENTRIES_PER_STEP);
    const statements = this.statements(pending);
    if (statements.length === 0) return false;
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
      if (i > 0) await yieldToIo();
      await this.d1.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
    }
    this.rows.acknowledge(pending.upTo);
    // Jobs reach the runners' claims in D1: the claims waiting in this isolate look again now.
    if (pending.rows.some((group) => group.table === "jobs" && group.rows.length > 0)) wakeClaims();
    return pending.more;
  }

  private statements(pending: ReadModelPending): D1PreparedStatement[] {
    const out: D1PreparedStatement[] = [];
    // One statement per table (and per `rowsPerStatement` rows), however the outbox interleaves
    // them: each table before those whose rows reference it (D1 checks foreign keys), each
    // table's rows in outbox order.
    const byTable: Record<OutboxTable, Record<string, unknown>[]> = { runs: [], tasks: [], attempts: [], jobs: [] };
    for (const group of pending.rows) for (const row of group.rows) byTable[group.table].push(row);
    for (const [table, rows] of Object.entries(byTable) as [OutboxTable, Record<string, unknown>[]][]) {
      this.insert(out, READ_MODEL_ROWS[table], rows, "upsert");
    }
    this.insert(out, READ_MODEL_ROWS.events, pending.events, "ignore");
    this.insert(out, READ_MODEL_ROWS.auditEvents, pending.audits, "ignore");
    this.insert(out, READ_MODEL_ROWS.costEvents, pending.costs, "ignore");
    return out;
  }

  private insert(
    out: D1PreparedStatement[],
    rows: RowWriter,
    list: readonly Record<string, unknown>[],
    onConflict: "upsert" | "ignore",
  ): void {
    for (let i = 0; i < list.length; i += rows.rowsPerStatement) {
      const chunk = list.slice(i, i + rows.rowsPerStatement);
      out.push(
        this.d1.prepare(rows.insert(chunk.length, onConflict)).bind(...chunk.flatMap((row) => rows.values(row))),
      );
    }
  }
}
