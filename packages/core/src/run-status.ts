import { z } from "zod";
import { BernsteinError } from "./errors.js";

export const RUN_STATUSES = ["planning", "running", "paused", "completed", "failed", "cancelled"] as const;

export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * `failed -> running` is the one way back: the user retries a failed task of the run. A run
 * paused for budget while planning (`planning -> paused`) goes back to `planning` when more comes.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  planning: ["running", "paused", "failed", "cancelled"],
  running: ["paused", "completed", "failed", "cancelled"],
  paused: ["planning", "running", "failed", "cancelled"],
  completed: [],
  failed: ["running"],
  cancelled: [],
};

const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(["completed", "failed", "cancelled"]);

/** A run in one of these has ended: nothing runs until a user acts (retry of a failed run). */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.has(status);
}

/** Throws `illegal_transition` unless the run may go from `from` to `to`. */
export function assertRunTransition(from: RunStatus, to: RunStatus, runId?: string): void {
  if (!RUN_TRANSITIONS[from].includes(to)) {
    throw new BernsteinError("illegal_transition", `run ${runId ?? ""} cannot go from ${from} to ${to}`, {
      details: { from, to, ...(runId ? { run_id: runId } : {}) },
    });
  }
}
