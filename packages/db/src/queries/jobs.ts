import { Job } from "@bernstein/core";
import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { type Stmt, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { jobs } from "../schema.js";

/** The INSERT of a job, for a batch (the coordinator writes it with the run's state). */
export function insertJobStmts(db: Db, job: Job): Stmt[] {
  return [db.insert(jobs).values(job)];
}

/** The UPDATE of a job's fields present in `patch`, for a batch. */
export function updateJobStmts(db: Db, id: string, patch: Partial<Job>): Stmt[] {
  const { id: _id, runId: _run, taskId: _task, createdAt: _created, ...set } = patch;
  return [db.update(jobs).set(set).where(eq(jobs.id, id))];
}

/** The UPDATE that cancels every unfinished job of a run, for a batch. */
export function cancelJobsOfRunStmts(db: Db, runId: string, now: string): Stmt[] {
  return [
    db
      .update(jobs)
      .set({ status: "cancelled", updatedAt: now })
      .where(and(eq(jobs.runId, runId), inArray(jobs.status, ["queued", "running"]))),
  ];
}

/** The job with this id, or null. */
export async function getJob(db: Db, id: string): Promise<Job | null> {
  const row = await db.select().from(jobs).where(eq(jobs.id, id)).get();
  return row ? Job.parse(row) : null;
}

/** Jobs of a run, oldest first. */
export async function getJobsOfRun(db: Db, runId: string): Promise<Job[]> {
  const rows = await db.select().from(jobs).where(eq(jobs.runId, runId)).orderBy(asc(jobs.createdAt), asc(jobs.id));
  return rows.map((row) => Job.parse(row));
}

export interface ClaimOptions {
  runnerId: string;
  now: Date;
}

/**
 * Claims the oldest job that is queued, or running on a lease that has expired (its runner
 * stopped heartbeating), in ONE statement: SQLite runs it atomically, so two runners never
 * claim the same job. Returns the claimed job, or null when there is none.
 */
export async function claimJob(db: Db, { runnerId, now }: ClaimOptions): Promise<Job | null> {
  const at = now.toISOString();
  const claimable = or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.leaseExpiresAt, at)));
  const next = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(claimable)
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(1);
  const rows = await withDbErrors(() =>
    db
      .update(jobs)
      .set({
        status: "running",
        runnerId,
        claims: sql`${jobs.claims} + 1`,
        leaseExpiresAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '+' || ${jobs.leaseSeconds} || ' seconds')`,
        updatedAt: at,
      })
      .where(and(inArray(jobs.id, next), claimable))
      .returning(),
  );
  const row = rows[0];
  return row ? Job.parse(row) : null;
}

/** Renews the lease of a job its runner still holds; null when the runner lost it. */
export async function renewJobLease(db: Db, id: string, runnerId: string, now: Date): Promise<Job | null> {
  const at = now.toISOString();
  const rows = await withDbErrors(() =>
    db
      .update(jobs)
      .set({
        leaseExpiresAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '+' || ${jobs.leaseSeconds} || ' seconds')`,
        updatedAt: at,
      })
      .where(and(eq(jobs.id, id), eq(jobs.runnerId, runnerId), eq(jobs.status, "running")))
      .returning(),
  );
  const row = rows[0];
  return row ? Job.parse(row) : null;
}

/** Puts a job this runner holds back in the queue (the runner is stopping); false when it no longer holds it. */
export async function releaseJob(db: Db, id: string, runnerId: string, now: Date): Promise<boolean> {
  const rows = await withDbErrors(() =>
    db
      .update(jobs)
      .set({ status: "queued", runnerId: null, leaseExpiresAt: null, updatedAt: now.toISOString() })
      .where(and(eq(jobs.id, id), eq(jobs.runnerId, runnerId), eq(jobs.status, "running")))
      .returning({ id: jobs.id }),
  );
  return rows.length > 0;
}
