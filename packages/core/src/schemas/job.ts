import { z } from "zod";
import { IsoTime, RunId, Sha256, TaskId } from "./common.js";

export const JOB_STATUSES = ["queued", "running", "passed", "failed", "cancelled"] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

/** A verification job in the runners' queue (one per verification of an attempt's merged tree). */
export const Job = z.object({
  id: z.string(),
  runId: RunId,
  taskId: TaskId,
  /** The attempt's workflow instance id. */
  attemptId: z.string(),
  attempt: z.number().int().positive(),
  status: JobStatus,
  manifest: Sha256,
  baseCommit: z.string().nullable(),
  commands: z.array(z.string()),
  timeoutSeconds: z.number().int().positive(),
  leaseSeconds: z.number().int().positive(),
  labels: z.array(z.string()),
  runnerId: z.string().nullable(),
  leaseExpiresAt: IsoTime.nullable(),
  /** How many times a runner claimed it (more than one: a runner lost it). */
  claims: z.number().int().nonnegative(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().int().nullable(),
  tail: z.string().nullable(),
  logKey: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Job = z.infer<typeof Job>;
