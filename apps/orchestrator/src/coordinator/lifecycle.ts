import { isTerminalTaskStatus, type TaskStatus } from "@bernstein/core";
import type { RunState } from "./run-state.js";
import type { Tx } from "./tx.js";

const BLOCKABLE: ReadonlySet<TaskStatus> = new Set(["planned", "open"]);

/** A task ended without merging: every task waiting on it, directly or not, is blocked. */
export function blockDependents(tx: Tx, state: RunState, taskId: string): void {
  const queue = [...state.dependentsOf(taskId)];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (!BLOCKABLE.has(tx.task(id).status)) continue;
    tx.setTaskStatus(id, "blocked", {}, { because: taskId });
    queue.push(...state.dependentsOf(id));
  }
}

/** Ends the run once every task is terminal: completed when all merged, failed otherwise. */
export function finishIfDone(tx: Tx): void {
  if (tx.run.status !== "running") return;
  const tasks = tx.tasks();
  if (!tasks.every((t) => isTerminalTaskStatus(t.status))) return;
  const unmerged = tasks.filter((t) => t.status !== "merged");
  if (unmerged.length === 0) {
    tx.setRunStatus("completed");
    return;
  }
  const list = unmerged.map((t) => `${t.title} (${t.status})`).join(", ");
  tx.setRunStatus("failed", {
    error: { code: "run_failed", message: `${unmerged.length} of ${tasks.length} tasks did not merge: ${list}` },
  });
}

/**
 * Pauses a run that can go no further because its budget is spent: tasks wait, none runs, and
 * the scheduler may not start another. The user can cancel it (adding budget comes later).
 */
export function pauseIfOutOfBudget(tx: Tx): void {
  const run = tx.run;
  if (run.status !== "running" || run.budgetUsd === null || run.spentUsd < run.budgetUsd) return;
  const tasks = tx.tasks();
  if (tasks.some((t) => t.status === "claimed" || t.status === "in_progress" || t.status === "verifying")) return;
  if (!tasks.some((t) => t.status === "open")) return;
  const message = `spent $${run.spentUsd.toFixed(4)} of the $${run.budgetUsd} budget; ${tasks.filter((t) => t.status === "open").length} tasks wait`;
  tx.emit("budget.warning", null, { spentUsd: run.spentUsd, budgetUsd: run.budgetUsd, paused: true });
  tx.setRunStatus("paused", { error: { code: "budget_exhausted", message } });
}
