import type { Job } from "@bernstein/core";
import type { Tx } from "./context.js";

/** The lease a runner must keep renewing while it holds a job. */
export const LEASE_SECONDS = 30;

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
