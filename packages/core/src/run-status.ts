import { z } from "zod";
import { BernsteinError } from "./errors.js";

export const RUN_STATUSES = ["planning", "running", "paused", "completed", "failed", "cancelled"] as const;

export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  planning: ["running", "failed", "cancelled"],
  running: ["paused", "completed", "failed", "cancelled"],
  paused: ["running", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
};

export function isTerminalRunStatus(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

/** Throws `illegal_transition` unless the run may go from `from` to `to`. */
export function assertRunTransition(from: RunStatus, to: RunStatus, runId?: string): void {
  if (!RUN_TRANSITIONS[from].includes(to)) {
    throw new BernsteinError("illegal_transition", `run ${runId ?? ""} cannot go from ${from} to ${to}`, {
      details: { from, to, ...(runId ? { run_id: runId } : {}) },
    });
  }
}
