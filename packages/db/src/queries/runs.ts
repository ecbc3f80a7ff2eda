import { BernsteinError, type Run, type RunStatus } from "@bernstein/core";
import { desc, eq } from "drizzle-orm";
import { runBatch, type Stmt, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { runOfRow } from "../rows.js";
import { runs } from "../schema.js";

/** Options of `listRuns`. */
export interface ListRunsOptions {
  /** At most this many runs (default 50, capped at 1,000). */
  limit?: number;
  status?: RunStatus;
}

/** The INSERT of a run, for a batch. */
export function insertRunStmts(db: Db, run: Run, idempotencyKey: string | null = null): Stmt[] {
  return [db.insert(runs).values({ ...run, idempotencyKey })];
}

/** Stores a new run; a second run with the same idempotency key is a `conflict`. */
export async function insertRun(db: Db, run: Run, idempotencyKey: string | null = null): Promise<void> {
  await runBatch(db, insertRunStmts(db, run, idempotencyKey));
}

/** The run with this id, or null. */
export async function getRun(db: Db, id: string): Promise<Run | null> {
  const row = await db.select().from(runs).where(eq(runs.id, id)).get();
  return row ? runOfRow(row) : null;
}

/** The run created with this idempotency key, or null. */
export async function findRunByIdempotencyKey(db: Db, key: string): Promise<Run | null> {
  const row = await db.select().from(runs).where(eq(runs.idempotencyKey, key)).get();
  return row ? runOfRow(row) : null;
}

/** Runs, newest first, optionally of one status. */
export async function listRuns(db: Db, options: ListRunsOptions = {}): Promise<Run[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 1_000);
  const rows = await db
    .select()
    .from(runs)
    .where(options.status ? eq(runs.status, options.status) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit);
  return rows.map(runOfRow);
}

function buildRunUpdate(db: Db, id: string, patch: Partial<Run>) {
  const { id: _id, createdAt: _created, ...set } = { ...patch, updatedAt: patch.updatedAt ?? new Date().toISOString() };
  return db.update(runs).set(set).where(eq(runs.id, id));
}

/**
 * The UPDATE of a run, for a batch. Sets the fields present in `patch` (and `updatedAt`, now
 * unless given); `id` and `createdAt` never change. Run status transitions are the caller's to
 * check (`assertRunTransition`): the coordinator is the run's single writer.
 */
export function updateRunStmts(db: Db, id: string, patch: Partial<Run>): Stmt[] {
  return [buildRunUpdate(db, id, patch)];
}

/** Updates a run and returns it; `not_found` when there is no such run. */
export async function updateRun(db: Db, id: string, patch: Partial<Run>): Promise<Run> {
  const rows = await withDbErrors(() => buildRunUpdate(db, id, patch).returning());
  const row = rows[0];
  if (!row) throw new BernsteinError("not_found", `run ${id} not found`, { details: { run_id: id } });
  return runOfRow(row);
}
