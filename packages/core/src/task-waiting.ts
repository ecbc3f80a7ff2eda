import type { ErrorJson } from "./errors.js";
import { isBudgetPause, isModelPause } from "./run-pause.js";
import type { RunStatus } from "./run-status.js";
import type { TaskStatus } from "./task-status.js";

/** Task statuses whose attempt makes model calls: parked while the run is paused at its budget (or its model is down). */
const CALLING: ReadonlySet<TaskStatus> = new Set(["claimed", "in_progress"]);

/**
 * What a task waits for, derived when shown (never stored): `budget` while its run is paused
 * at its budget and the task's attempt would make (or has parked) its next model call; `model`
 * while the run is paused because its model stopped answering.
 */
export function taskWaiting(
  run: { status: RunStatus; error: ErrorJson | null },
  task: { status: TaskStatus },
): "budget" | "model" | null {
  if (!CALLING.has(task.status)) return null;
  if (isBudgetPause(run)) return "budget";
  return isModelPause(run) ? "model" : null;
}

/** A task's status as views show it: `waiting: budget` for a parked one, else its status. */
export function shownTaskStatus(
  run: { status: RunStatus; error: ErrorJson | null },
  task: { status: TaskStatus },
): string {
  const waiting = taskWaiting(run, task);
  return waiting ? `waiting: ${waiting}` : task.status;
}
