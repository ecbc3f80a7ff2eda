import { z } from "zod";
import { IsoTime, RunId, Sha256, TaskId } from "./common.js";

export const JOB_STATUSES = ["queued", "running", "passed", "failed", "cancelled"] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * `candidate`: a task's changes on the integration tree; `baseline`: an integration tree itself;
 * `exec`: an agent's `run_command` on its attempt's tree.
 */
export const JobKind = z.enum(["candidate", "baseline", "exec"]);
export type JobKind = z.infer<typeof JobKind>;

/** What a job runs besides its commands (the run's `verify` settings, the task's signals). */
export const JobVerifySpec = z.object({
  setup: z.array(z.string()),
  setupInputs: z.array(z.string()).nullable(),
  reports: z.array(z.string()),
  signals: z.array(z.string()),
  /** The runner's warm workspace key (the run's repository). */
  workspace: z.string(),
  /** An exec job's output cap. */
  maxOutputBytes: z.number().int().positive().optional(),
});
export type JobVerifySpec = z.infer<typeof JobVerifySpec>;

/** A job in the runners' queue: verifying a candidate or baseline tree, or an agent's command. */
export const Job = z.object({
  id: z.string(),
  runId: RunId,
  kind: JobKind,
  /** The candidate's task; null for a baseline. */
  taskId: TaskId.nullable(),
  /** The attempt's workflow instance id (null for a baseline). */
  attemptId: z.string().nullable(),
  attempt: z.number().int().positive().nullable(),
  status: JobStatus,
  manifest: Sha256,
  baseCommit: z.string().nullable(),
  commands: z.array(z.string()),
  verify: JobVerifySpec,
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
