import type { Job, JobLostData } from "@bernstein/core";
import type { Ctx, Tx } from "./context.js";

/**
 * The lease a runner must keep renewing while it holds a job, by default. Runners heartbeat
 * every third of it (about 22 heartbeats a minute per running job at 8 s), so a crashed
 * runner's job goes to another runner between 5 and 8 s after its last heartbeat.
 */
export const LEASE_SECONDS = 8;
/** The range `RUNNER_LEASE_SECONDS` may set (below 3 s a heartbeat every second could not keep up). */
const LEASE_RANGE = { min: 3, max: 600 } as const;

/**
 * The lease a claim starts: the orchestrator's `RUNNER_LEASE_SECONDS` (a whole number of
 * seconds, 3 to 600), else `LEASE_SECONDS`. It is applied when a runner claims the job.
 */
export function leaseSecondsOf(env: { RUNNER_LEASE_SECONDS?: string | undefined }): number {
  const seconds = Number(env.RUNNER_LEASE_SECONDS);
  return Number.isInteger(seconds) && seconds >= LEASE_RANGE.min && seconds <= LEASE_RANGE.max
    ? seconds
    : LEASE_SECONDS;
}

/** What differs between the jobs a run queues for its runners (verifications, agents' commands). */
export type JobSpec = Pick<
  Job,
  "id" | "kind" | "taskId" | "attemptId" | "attempt" | "manifest" | "commands" | "verify" | "timeoutSeconds" | "logKey"
>;

/**
 * Queues a job for the runners: a row of the run's `jobs` table, which reaches D1 (where runners
 * claim it) through the outbox with the rest of the transaction.
 */
export function queueJob(tx: Tx, spec: JobSpec): Job {
  const job: Job = {
    ...spec,
    runId: tx.run.id,
    status: "queued",
    baseCommit: tx.run.baseCommit,
    leaseSeconds: LEASE_SECONDS,
    labels: [],
    runnerId: null,
    leaseExpiresAt: null,
    claims: 0,
    exitCode: null,
    timedOut: false,
    durationMs: null,
    tail: null,
    createdAt: tx.now,
    updatedAt: tx.now,
  };
  tx.insertJob(job);
  return job;
}

/**
 * A runner's lease on a job lapsed and another runner claimed it (D1 told the claim): the
 * run's `job.lost` event. Nothing is recorded for a job that has settled (its result came in,
 * it was withdrawn) or once the run has ended; the runners own the claim itself (D1).
 */
export function recordJobLost({ tx }: Ctx, lost: JobLostData): void {
  const job = tx.job(lost.jobId);
  if (job?.status !== "queued" || tx.ended) return;
  tx.emit("job.lost", job.taskId, { ...lost, kind: job.kind, attempt: job.attempt });
}
