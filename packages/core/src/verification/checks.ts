import { z } from "zod";

/** Longest failure message a check carries (the rest is in the log). */
export const MAX_CHECK_MESSAGE = 2_000;
/** Most checks one verification reports (a runner keeps failures first when it must cut). */
export const MAX_CHECKS = 10_000;

export const CHECK_STATUSES = ["passed", "failed", "skipped"] as const;
export const CheckStatus = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof CheckStatus>;

/**
 * One thing a verification checked: a test case read from a report (TAP or JUnit XML), or a
 * whole verify command that wrote none. `id` is stable across trees, so the same test on the
 * integration tree and on a candidate compare.
 */
export const Check = z.object({
  /** `<command> :: <suite › test>` for a test case, `$ <command>` for a command. */
  id: z.string().min(1).max(4_000),
  /** What a person reads: `suite › test`, or `$ <command>`. */
  name: z.string().min(1).max(2_000),
  command: z.string().max(2_000),
  status: CheckStatus,
  /** Why it failed (first lines of the assertion), for the retry's feedback. */
  message: z.string().max(MAX_CHECK_MESSAGE).optional(),
  /** Where it was read: a report file (repo-relative) or `stdout` (TAP). */
  source: z.string().max(1_000).optional(),
});
export type Check = z.infer<typeof Check>;

/** How one verify command ended. All verify commands run, even after one fails. */
export const CommandRun = z.object({
  command: z.string().max(2_000),
  /** Null when it was killed (timeout) or never ran (the time was up). */
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  /** Test cases read from its reports; 0 makes the command its own check. */
  tests: z.number().int().nonnegative(),
});
export type CommandRun = z.infer<typeof CommandRun>;

/** A failed test named by a report, for feedback. */
export const FailedTest = z.object({
  name: z.string().max(2_000),
  message: z.string().max(MAX_CHECK_MESSAGE).optional(),
});
export type FailedTest = z.infer<typeof FailedTest>;

/** How one of the task's `test_passes` signals ended on the candidate tree. */
export const SignalRun = z.object({
  command: z.string().max(2_000),
  passed: z.boolean(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  /** Failing tests its reports named (at most 20). */
  failedTests: z.array(FailedTest).max(20).default([]),
});
export type SignalRun = z.infer<typeof SignalRun>;

/**
 * The tree could not be verified at all: a `verify.setup` command failed, or a verify command
 * was not found (exit 127) or not executable (126).
 */
export const SetupFailure = z.object({
  phase: z.enum(["setup", "verify"]),
  command: z.string().max(2_000),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean().default(false),
  message: z.string().max(MAX_CHECK_MESSAGE),
});
export type SetupFailure = z.infer<typeof SetupFailure>;

/** What a runner found on one tree: the part of a job's result that judging compares. */
export interface TreeChecks {
  checks: readonly Check[];
  commands: readonly CommandRun[];
  setupFailure: SetupFailure | null;
}
