import { Job } from "@bernstein/core";
import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { type Stmt, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { jobs, runners } from "../schema.js";

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
  /** The lease the claim starts (and each heartbeat renews); default: the job's own `leaseSeconds`. */
  leaseSeconds?: number;
}

/** A claimed job, and whose lease on it had lapsed (null when it was queued). */
export interface Claim {
  job: Job;
  lapsed: { runnerId: string; name: string | null } | null;
}

/**
 * Claims the oldest job that is queued, or running on a lease that has expired (its runner
 * stopped heartbeating), in ONE batch (a D1 transaction: nothing runs between its statements),
 * so two runners never claim the same job: the first statement reads who held the job (a
 * lapsed lease's runner, with its name), the second takes the same job. A look finding nothing
 * to claim comes first, alone. Returns the claim, or null when there is none.
 */
export async function claimJob(db: Db, { runnerId, now, leaseSeconds }: ClaimOptions): Promise<Claim | null> {
  const at = now.toISOString();
  const claimable = or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.leaseExpiresAt, at)));
  const next = () =>
    db.select({ id: jobs.id }).from(jobs).where(claimable).orderBy(asc(jobs.createdAt), asc(jobs.id)).limit(1);
  // Idle runners look often: a look that finds nothing costs one statement, as a claim always did.
  if (!(await next().get())) return null;
  const lease = leaseSeconds === undefined ? jobs.leaseSeconds : sql`${leaseSeconds}`;
  const [held, claimed] = await withDbErrors(() =>
    db.batch([
      db
        .select({ status: jobs.status, runnerId: jobs.runnerId, name: runners.name })
        .from(jobs)
        .leftJoin(runners, eq(runners.id, jobs.runnerId))
        .where(inArray(jobs.id, next())),
      db
        .update(jobs)
        .set({
          status: "running",
          runnerId,
          claims: sql`${jobs.claims} + 1`,
          ...(leaseSeconds === undefined ? {} : { leaseSeconds }),
          leaseExpiresAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '+' || ${lease} || ' seconds')`,
          updatedAt: at,
        })
        .where(and(inArray(jobs.id, next()), claimable))
        .returning(),
    ]),
  );
  const row = claimed[0];
  if (!row) return null;
  const before = held[0];
  const lapsed =
    before?.status === "running" && before.runnerId ? { runnerId: before.runnerId, name: before.name ?? null } : null;
  return { job: Job.parse(row), lapsed };
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
