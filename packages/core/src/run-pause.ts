import type { ErrorJson } from "./errors.js";
import type { RunStatus } from "./run-status.js";

/** The part of a run that says whether and why it is paused. */
type PauseOf = { status: RunStatus; error: ErrorJson | null };

/** Whether the run is paused because its budget cannot pay for the next call (`budget --add` resumes it). */
export function isBudgetPause(run: PauseOf): boolean {
  return run.status === "paused" && run.error?.code === "budget_exhausted";
}

/** Whether the run is paused because its model stopped answering (it resumes by itself). */
export function isModelPause(run: PauseOf): boolean {
  return run.status === "paused" && run.error?.code === "model_unavailable";
}
