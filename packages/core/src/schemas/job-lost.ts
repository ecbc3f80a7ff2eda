import { z } from "zod";
import { JobKind } from "./job.js";

/**
 * The data of a `job.lost` event: a runner stopped renewing a job's lease (it crashed, hung or
 * lost the network), the lease ran out, and another runner claimed the job. Runners are named as
 * they registered (`bernstein runner --name`); the job runs again from the start on `takenBy`.
 * The event's `taskId` is the job's task (null for a baseline).
 */
export const JobLostData = z.object({
  jobId: z.string(),
  kind: JobKind,
  /** The candidate's or command's attempt number; null for a baseline. */
  attempt: z.number().int().positive().nullable(),
  /** The runner whose lease lapsed. */
  runner: z.string(),
  /** The runner that claimed the job after it. */
  takenBy: z.string(),
});
export type JobLostData = z.infer<typeof JobLostData>;
