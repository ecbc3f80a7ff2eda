import { z } from "zod";
import { Check, CommandRun, FailedTest, MAX_CHECKS, SetupFailure, SignalRun } from "../verification/checks.js";
import { ExecJob } from "./command-job.js";
import { IsoTime, RunId, Sha256, TaskId } from "./common.js";

/** Largest `waitSeconds` of a claim (a long poll ends before common proxy timeouts). */
export const MAX_CLAIM_WAIT_SECONDS = 25;

/** `POST /v1/runners` (API token): registers a runner and returns its token, shown once. */
export const CreateRunnerRequest = z.strictObject({
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
export const ClaimJobRequest = z.strictObject({
  labels: z.array(z.string()).max(20).default([]),
  waitSeconds: z.number().int().min(0).max(MAX_CLAIM_WAIT_SECONDS).default(20),
});

/**
 * One verification of a tree: sync the runner's warm workspace for `workspace` to `manifest`,
 * run `setup` when its inputs changed, then every verify command (all of them, even after one
 * fails) and the task's `test_passes` commands (`signals`), reading test reports (`reports`
 * globs, and TAP on stdout), all within `timeoutSeconds`; keep the lease alive with heartbeats,
 * upload the log, post the result. A `candidate` is the integration tree with a task's changes;
 * a `baseline` is an integration tree itself, the reference its candidates are judged against.
 */
export const VerifyJob = z.object({
  id: z.string(),
  runId: RunId,
  kind: z.enum(["candidate", "baseline"]),
  /** The task and attempt of a candidate; null for a baseline. */
  taskId: TaskId.nullable(),
  attempt: z.number().int().positive().nullable(),
  manifest: Sha256,
  /** The run's base commit: a runner inside the repo may start from a checkout of it. */
  baseCommit: z.string().nullable(),
  /** Names the repository: a runner keeps one warm workspace per repository and slot. */
  workspace: z.string().min(1).max(200),
  commands: z.array(z.string()),
  setup: z.array(z.string()),
  /** Globs of the files whose change re-runs `setup`; null: the defaults (`DEFAULT_SETUP_INPUTS`). */
  setupInputs: z.array(z.string()).nullable(),
  /** Globs of JUnit XML reports the commands write (repo-relative). */
  reports: z.array(z.string()),
  /** The task's `test_passes` commands (candidates only). */
  signals: z.array(z.string()),
  timeoutSeconds: z.number().int().positive(),
  leaseSeconds: z.number().int().positive(),
  leaseExpiresAt: IsoTime,
});
export type VerifyJob = z.infer<typeof VerifyJob>;

/** A claimed job: a verification, or an agent's command (`ExecJob`). */
export const RunnerJob = z.discriminatedUnion("kind", [VerifyJob, ExecJob]);
export type RunnerJob = z.infer<typeof RunnerJob>;

export const ClaimJobResponse = z.object({ job: RunnerJob });

/** `POST /v1/runners/jobs/:id/heartbeat` answer; a lost lease is a 409 `conflict`. */
export const HeartbeatResponse = z.object({ leaseExpiresAt: IsoTime });

/** `POST /v1/runners/jobs/:id/result` (after `PUT /v1/runners/jobs/:id/log`). */
export const JobResultRequest = z.strictObject({
  /** Nothing failed: every command exited 0, every signal passed, no check failed. */
  passed: z.boolean(),
  /** Exit code of the first failing command (0 when all passed); null when killed or timed out. */
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean().default(false),
  durationMs: z.number().int().nonnegative(),
  /** The last lines of the output (at most 64 KiB), shown to the agent as feedback. */
  tail: z.string().max(65_536).default(""),
  /** Test cases from the reports, and commands that wrote none. */
  checks: z.array(Check.strict()).max(MAX_CHECKS).default([]),
  commands: z.array(CommandRun.strict()).max(50).default([]),
  signals: z
    .array(SignalRun.extend({ failedTests: z.array(FailedTest.strict()).max(20).default([]) }).strict())
    .max(50)
    .default([]),
  setupFailure: SetupFailure.strict().nullable().default(null),
  /** `verify.setup` ran in this job (its inputs changed), and how long the setup phase took. */
  setup: z.strictObject({ ran: z.boolean(), durationMs: z.number().int().nonnegative() }).nullable().default(null),
  /** Report globs that matched nothing, malformed reports, cut check lists. */
  warnings: z.array(z.string().max(2_000)).max(50).default([]),
});
export type JobResultRequest = z.infer<typeof JobResultRequest>;
export type JobResultInput = z.input<typeof JobResultRequest>;

/** A runner seen within this many seconds is connected (claims poll every 25 s at most, heartbeats every few). */
export const RUNNER_CONNECTED_SECONDS = 60;
