import { z } from "zod";
import { IsoTime } from "./common.js";
import { JobStatus } from "./job.js";

/**
 * One of a task's `run_command` calls, as `GET /v1/tasks/:id` lists them (oldest first):
 * queued or running until a runner's result settles it (`passed` exit 0, else `failed`).
 */
export const TaskCommand = z.object({
  job: z.string(),
  attempt: z.number().int().positive().nullable(),
  /** The attempt's workflow instance id. */
  instance: z.string().nullable(),
  command: z.string(),
  status: JobStatus,
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  /** The runner's time for the job (what `bernstein cost` counts), once it finished. */
  runnerMs: z.number().int().nullable(),
  /** How many times a runner claimed it (more than one: a runner was lost and it ran again). */
  claims: z.number().int().nonnegative(),
  createdAt: IsoTime,
});
export type TaskCommand = z.infer<typeof TaskCommand>;
