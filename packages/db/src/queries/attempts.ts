import { type Attempt, BernsteinError } from "@bernstein/core";
import { asc, eq } from "drizzle-orm";
import { runBatch, type Stmt, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { attempts } from "../schema.js";

/** The INSERT of an attempt, for a batch. */
export function insertAttemptStmts(db: Db, attempt: Attempt): Stmt[] {
  return [db.insert(attempts).values(attempt)];
}

/** Stores a new attempt; the same id (or task and `n`) twice is a `conflict`. */
export async function insertAttempt(db: Db, attempt: Attempt): Promise<void> {
  await runBatch(db, insertAttemptStmts(db, attempt));
}

function buildAttemptUpdate(db: Db, id: string, patch: Partial<Attempt>) {
  const { id: _id, runId: _run, taskId: _task, n: _n, ...set } = patch;
  return db.update(attempts).set(set).where(eq(attempts.id, id));
}

/** The UPDATE of an attempt's fields present in `patch`, for a batch. */
export function updateAttemptStmts(db: Db, id: string, patch: Partial<Attempt>): Stmt[] {
  return [buildAttemptUpdate(db, id, patch)];
}

/** Updates an attempt and returns it; `not_found` when there is no such attempt. */
export async function updateAttempt(db: Db, id: string, patch: Partial<Attempt>): Promise<Attempt> {
  // Drizzle rejects an UPDATE with nothing to set; an empty patch is a read.
  const rows = Object.values(patch).some((v) => v !== undefined)
    ? await withDbErrors(() => buildAttemptUpdate(db, id, patch).returning())
    : await db.select().from(attempts).where(eq(attempts.id, id));
  const row = rows[0];
  if (!row) throw new BernsteinError("not_found", `attempt ${id} not found`, { details: { attempt_id: id } });
  return row;
}

/** The attempt with this id, or null. */
export async function getAttempt(db: Db, id: string): Promise<Attempt | null> {
  const row = await db.select().from(attempts).where(eq(attempts.id, id)).get();
  return row ?? null;
}

/** A task's attempts, first to last. */
export async function getAttemptsOfTask(db: Db, taskId: string): Promise<Attempt[]> {
  return db.select().from(attempts).where(eq(attempts.taskId, taskId)).orderBy(asc(attempts.n));
}

/** A run's attempts in the order they started. */
export async function getAttemptsOfRun(db: Db, runId: string): Promise<Attempt[]> {
  const rows = await db
    .select()
    .from(attempts)
    .where(eq(attempts.runId, runId))
    .orderBy(asc(attempts.startedAt), asc(attempts.id));
  return rows;
}
