import { z } from "zod";
import { MAX_COMMAND_OUTPUT_BYTES, MAX_COMMAND_TIMEOUT_SECONDS } from "../command-policy.js";
import { SetupFailure } from "../verification/checks.js";
import { IsoTime, RunId, Sha256, TaskId } from "./common.js";

/**
 * An agent's `run_command` as a runner job: sync the warm workspace of `workspace` to the
 * attempt's tree `manifest` (its base snapshot plus its changes so far), run `setup` when its
 * inputs changed (as verification does), then `command` with the same scrubbed environment,
 * within `timeoutSeconds`, keeping `maxOutputBytes` of its output (head and tail). Whatever the
 * command changes in the tree is discarded after it: the agent edits files with its file tools.
 */
export const ExecJob = z.object({
  id: z.string(),
  runId: RunId,
  kind: z.literal("exec"),
  taskId: TaskId,
  attempt: z.number().int().positive(),
  manifest: Sha256,
  baseCommit: z.string().nullable(),
  workspace: z.string().min(1).max(200),
  command: z.string().min(1).max(2_000),
  setup: z.array(z.string()),
  setupInputs: z.array(z.string()).nullable(),
  timeoutSeconds: z.number().int().positive().max(MAX_COMMAND_TIMEOUT_SECONDS),
  maxOutputBytes: z.number().int().positive().max(MAX_COMMAND_OUTPUT_BYTES),
  leaseSeconds: z.number().int().positive(),
  leaseExpiresAt: IsoTime,
});
export type ExecJob = z.infer<typeof ExecJob>;

/**
 * `POST /v1/runners/jobs/:id/result` of an exec job, and what the agent's workflow receives.
 * `output` is stdout and stderr interleaved, capped at the job's `maxOutputBytes` (its head and
 * tail, with a marker saying how much was cut).
 */
export const ExecResult = z.object({
  /** Null when the command was killed (timeout, signal) or never ran. */
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean().default(false),
  /** The command's own run time. */
  durationMs: z.number().int().nonnegative(),
  /** The runner's time for the whole job (sync, setup, the command, the cleanup). */
  runnerMs: z.number().int().nonnegative(),
  output: z.string().max(MAX_COMMAND_OUTPUT_BYTES + 1_000),
  /** Bytes the command printed in all, and how many of them were cut from the middle. */
  outputBytes: z.number().int().nonnegative(),
  cutBytes: z.number().int().nonnegative().default(0),
  /** Tracked files the command changed or deleted (restored after it; files it created stay untracked). */
  discardedCount: z.number().int().nonnegative().default(0),
  /** `verify.setup` failed in the workspace: the command did not run. */
  setupFailure: SetupFailure.nullable().default(null),
  /** The runner could not prepare the tree (a missing blob, a bad manifest): the command did not run. */
  error: z.string().max(2_000).nullable().default(null),
});
export type ExecResult = z.infer<typeof ExecResult>;
export type ExecResultInput = z.input<typeof ExecResult>;
