import type { ErrorCode } from "@bernstein/core";

/** The CLI's exit codes: the contract scripts rely on. */
export const EXIT = {
  ok: 0,
  /** A failed run or operation. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /**
   * `run --wait`: the run paused at its budget (nothing failed). It waits in the stack for
   * `bernstein budget RUN --add USD` (printed) or `bernstein cancel RUN`.
   */
  paused: 3,
  /** A bug in Bernstein (EX_SOFTWARE). */
  internal: 70,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === "usage") return EXIT.usage;
  if (code === "internal") return EXIT.internal;
  return EXIT.failed;
}
