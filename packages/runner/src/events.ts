import type { BernsteinError, ExecJob, ExecResultInput, JobResultInput, RunnerJob, VerifyJob } from "@bernstein/core";

/** A job's outcome as posted to the stack. */
export type PostedResult = JobResultInput;

/**
 * What a runner reports while it works, for the CLI's one line per job and for tests. `slot`
 * is the index of the concurrent claim loop (0 .. concurrency-1).
 */
export type RunnerEvent =
  | { type: "claimed"; slot: number; job: RunnerJob }
  | {
      type: "materialised";
      slot: number;
      job: RunnerJob;
      /** `warm`: the slot's workspace from its last job; `git`/`blobs`: a new workspace. */
      source: "warm" | "git" | "blobs";
      /** The workspace's tree. */
      dir: string;
      files: number;
      written: number;
      kept: number;
      deleted: number;
      downloaded: number;
      durationMs: number;
      gitSkipped?: string;
    }
  | {
      type: "finished";
      slot: number;
      job: VerifyJob;
      result: PostedResult;
      /** The command that failed or timed out; null when all passed or the tree could not be made. */
      failedCommand: string | null;
      /** Set when the runner itself could not prepare the job (reported as a failure). */
      error?: BernsteinError;
    }
  /** The lease went to another runner (heartbeat or result answered 409): nothing was posted. */
  | { type: "lost"; slot: number; job: RunnerJob; reason: string }
  /** An agent's command ran (or could not) and its result was posted. */
  | { type: "command"; slot: number; job: ExecJob; result: ExecResultInput }
  /** The runner is stopping: the job was dropped and its lease will expire for another runner. */
  | { type: "abandoned"; slot: number; job: RunnerJob }
  /** A call to the stack failed and will be retried. */
  | { type: "retrying"; slot: number; job?: RunnerJob; what: string; error: BernsteinError; retryInMs: number }
  /** Something went wrong after the job's result was settled (e.g. removing its directory). */
  | { type: "warning"; slot: number; job?: RunnerJob; message: string };
