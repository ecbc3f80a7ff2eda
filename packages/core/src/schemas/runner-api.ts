import { z } from "zod";
import { IsoTime, RunId, Sha256, TaskId } from "./common.js";

/** Largest `waitSeconds` of a claim (a long poll ends before common proxy timeouts). */
export const MAX_CLAIM_WAIT_SECONDS = 25;

/** `POST /v1/runners` (API token): registers a runner and returns its token, shown once. */
export const CreateRunnerRequest = z.object({
  name: z.string().trim().min(1).max(100),
  labels: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export const RunnerCreated = z.object({
  id: z.string(),
  name: z.string(),
  labels: z.array(z.string()),
  token: z.string(),
});
export type RunnerCreated = z.infer<typeof RunnerCreated>;

/** `POST /v1/runners/jobs/claim` (runner token): a long poll for the next job. */
export const ClaimJobRequest = z.object({
  labels: z.array(z.string()).max(20).default([]),
  waitSeconds: z.number().int().min(0).max(MAX_CLAIM_WAIT_SECONDS).default(20),
});

/**
 * One verification: materialise `manifest` (the tree the task will merge into: the run's
 * integration tree with the task's changes), run `commands` in order with `timeoutSeconds` for
 * all of them, keep the lease alive with heartbeats, upload the log, post the result.
 */
export const VerifyJob = z.object({
  id: z.string(),
  runId: RunId,
  taskId: TaskId,
  attempt: z.number().int().positive(),
  manifest: Sha256,
  /** The run's base commit: a runner inside the repo may start from a checkout of it. */
  baseCommit: z.string().nullable(),
  commands: z.array(z.string()).min(1),
  timeoutSeconds: z.number().int().positive(),
  leaseSeconds: z.number().int().positive(),
  leaseExpiresAt: IsoTime,
});
export type VerifyJob = z.infer<typeof VerifyJob>;

export const ClaimJobResponse = z.object({ job: VerifyJob });

/** `POST /v1/runners/jobs/:id/heartbeat` answer; a lost lease is a 409 `conflict`. */
export const HeartbeatResponse = z.object({ leaseExpiresAt: IsoTime });

/** `POST /v1/runners/jobs/:id/result` (after `PUT /v1/runners/jobs/:id/log`). */
export const JobResultRequest = z.object({
  passed: z.boolean(),
  /** Exit code of the first failing command (0 when all passed); null when killed or timed out. */
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean().default(false),
  durationMs: z.number().int().nonnegative(),
  /** The last lines of the output (at most 64 KiB), shown to the agent as feedback. */
  tail: z.string().max(65_536).default(""),
});
export type JobResultRequest = z.infer<typeof JobResultRequest>;
