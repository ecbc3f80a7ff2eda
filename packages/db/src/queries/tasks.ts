import { BernsteinError, type Task, transitionTask } from "@bernstein/core";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { runBatch, runInGroups, type Stmt } from "../batch.js";
import type { Db } from "../create-db.js";
import { chunkRows } from "../param-budget.js";
import { batchGuard, tasks } from "../schema.js";

/**
 * The INSERTs of tasks, chunked so no statement binds more than 100 parameters. More than
 * 1,000 statements do not fit one batch: `insertTasks` runs them in groups.
 */
export function insertTasksStmts(db: Db, list: readonly Task[]): Stmt[] {
  return chunkRows(tasks, list).map((rows) => db.insert(tasks).values(rows));
}

/** Stores tasks. Up to 1,000 statements (about 4,000 tasks) run as one atomic batch; more run as consecutive batches. */
export async function insertTasks(db: Db, list: readonly Task[]): Promise<void> {
  await runInGroups(db, insertTasksStmts(db, list));
}

/** The tasks of a run in plan order. */
export async function getTasksOfRun(db: Db, runId: string): Promise<Task[]> {
  return db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.order), asc(tasks.id));
}

/** The task with this id, or null. */
export async function getTask(db: Db, id: string): Promise<Task | null> {
  return (await db.select().from(tasks).where(eq(tasks.id, id)).get()) ?? null;
}

/**
 * The statements that write `patch` over `before`, for a batch, and the task they produce.
 * A status change goes through core's `transitionTask` (`illegal_transition` otherwise); the
 * version always goes up by one. The first statement fails the whole batch with
 * `version_conflict` unless the stored task still has `before.version`, so a stale write
 * never lands half-way; the UPDATE itself is `WHERE id = ? AND version = before.version`.
 * `id`, `runId` and `createdAt` never change; `updatedAt` is now unless the patch sets it.
 */
export function updateTaskStmts(db: Db, before: Task, patch: Partial<Task>): { stmts: Stmt[]; task: Task } {
  const { status: next, ...rest } = Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<Task>;
  const moved = next !== undefined && next !== before.status ? transitionTask(before, next) : undefined;
  const task: Task = {
    ...before,
    ...rest,
    id: before.id,
    runId: before.runId,
    createdAt: before.createdAt,
    status: moved?.status ?? before.status,
    version: moved?.version ?? before.version + 1,
    updatedAt: rest.updatedAt ?? new Date().toISOString(),
  };
  const { id: _id, runId: _runId, createdAt: _createdAt, ...set } = task;
  const stmts: Stmt[] = [
    versionGuard(db, before),
    db
      .update(tasks)
      .set(set)
      .where(and(eq(tasks.id, before.id), eq(tasks.version, before.version))),
  ];
  return { stmts, task };
}

/**
 * Writes `patch` over `before` (see `updateTaskStmts`) and returns the new task. Throws
 * `illegal_transition` for a status change core forbids and `version_conflict` when the
 * stored task is no longer at `before.version`; in both cases nothing is written.
 */
export async function updateTask(db: Db, before: Task, patch: Partial<Task>): Promise<Task> {
  const { stmts, task } = updateTaskStmts(db, before, patch);
  const results = await runBatch(db, stmts);
  if (changesOf(results[1]) !== 1) {
    // Unreachable while the guard statement holds; kept so a lost update can never pass silently.
    throw new BernsteinError("version_conflict", `task ${before.id} changed since version ${before.version}`, {
      details: { task_id: before.id, version: before.version },
    });
  }
  return task;
}

/**
 * `INSERT INTO batch_guard SELECT 'version_conflict' FROM (SELECT count(*) AS n FROM tasks
 * WHERE id = ? AND version = ?) WHERE n = 0`: inserts (and so fails its CHECK, aborting the
 * batch) exactly when the task is no longer at the version the caller read.
 */
function versionGuard(db: Db, before: Task): Stmt {
  const matching = db
    .select({ n: count().as("n") })
    .from(tasks)
    .where(and(eq(tasks.id, before.id), eq(tasks.version, before.version)))
    .as("matching");
  return db.insert(batchGuard).select(
    db
      .select({ code: sql<string>`'version_conflict'`.as("code") })
      .from(matching)
      .where(eq(matching.n, 0)),
  );
}

function changesOf(result: unknown): number | undefined {
  if (typeof result !== "object" || result === null || !("meta" in result)) return undefined;
  const meta = (result as { meta: { changes?: unknown } }).meta;
  return typeof meta.changes === "number" ? meta.changes : undefined;
}
