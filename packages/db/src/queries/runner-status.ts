import type { JobKind, TaskCommand } from "@bernstein/core";
import { and, asc, count, eq, inArray, lt, ne, or } from "drizzle-orm";
import type { Db } from "../create-db.js";
import { jobs, runners } from "../schema.js";
import type { Runner } from "./runners.js";

/** Every registered runner, oldest first. */
export async function listRunners(db: Db): Promise<Runner[]> {
  return db.select().from(runners).orderBy(asc(runners.createdAt));
}

/**
 * Jobs waiting for a runner by kind (of one run, or of all): queued, or running on a lease that
 * ran out (its runner is gone), the same jobs a claim would take.
 */
export async function countWaitingJobs(
  db: Db,
  { runId, now }: { runId?: string; now: Date },
): Promise<Record<JobKind, number>> {
  const at = now.toISOString();
  const waiting = or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.leaseExpiresAt, at)));
  const rows = await db
    .select({ kind: jobs.kind, n: count() })
    .from(jobs)
    .where(runId === undefined ? waiting : and(eq(jobs.runId, runId), waiting))
    .groupBy(jobs.kind);
  const counts: Record<JobKind, number> = { candidate: 0, baseline: 0, exec: 0 };
  for (const row of rows) counts[row.kind] = row.n;
  return counts;
}

/** A task's `run_command` jobs, oldest first. */
export async function getCommandsOfTask(db: Db, runId: string, taskId: string): Promise<TaskCommand[]> {
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.runId, runId), eq(jobs.taskId, taskId), eq(jobs.kind, "exec")))
    .orderBy(asc(jobs.createdAt), asc(jobs.id));
  return rows.map((job) => ({
    job: job.id,
    attempt: job.attempt,
    instance: job.attemptId,
    command: job.commands[0] ?? "",
    status: job.status,
    exitCode: job.exitCode,
    timedOut: job.timedOut,
    runnerMs: job.durationMs,
    claims: job.claims,
    createdAt: job.createdAt,
  }));
}

/**
 * Puts back in the queue the running jobs of the earlier runners of this name (their tokens
 * were just replaced, so they can never post a result): a restarted runner's jobs run again at
 * once instead of after their leases run out. Returns how many were released.
 */
export async function releaseJobsOfReplacedRunners(db: Db, name: string, keepId: string, now: Date): Promise<number> {
  const replaced = db
    .select({ id: runners.id })
    .from(runners)
    .where(and(eq(runners.name, name), ne(runners.id, keepId)));
  const rows = await db
    .update(jobs)
    .set({ status: "queued", runnerId: null, leaseExpiresAt: null, updatedAt: now.toISOString() })
    .where(and(eq(jobs.status, "running"), inArray(jobs.runnerId, replaced)))
    .returning({ id: jobs.id });
  return rows.length;
}
