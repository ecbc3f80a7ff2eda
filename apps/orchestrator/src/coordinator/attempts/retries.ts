import type { ErrorCode, Task } from "@bernstein/core";
import type { Ctx } from "../context.js";

/** Errors a new attempt cannot fix: the task fails at once instead of retrying. */
export const FINAL_CODES: ReadonlySet<ErrorCode> = new Set([
  "model_auth",
  "provider_not_configured",
  "invalid_model",
  "budget_exhausted",
  "rejected",
  "no_progress",
]);

/** Merge conflicts a task may run into on top of its retries before it fails. */
export const MAX_CONFLICTS = 3;

/** Attempts the task made since the user last retried it (only those count against its retries). */
export function attemptsUsed(c: Ctx, task: Task): number {
  return task.attempt - (c.tx.memory.retryBase[task.id] ?? 0);
}

/** The user retries a failed or blocked task: a fresh attempt, with a fresh retry budget. */
export function retryTask(c: Ctx, taskId: string): void {
  const { tx, state } = c;
  const task = tx.task(taskId);
  // A failed run comes back first: until then its terminal event is its last.
  if (tx.run.status === "failed") tx.setRunStatus("running", { error: null });
  tx.setTaskStatus(taskId, "open", {}, { reason: "retried by the user" });
  tx.memory.retryBase[taskId] = task.attempt;
  delete tx.memory.progress[taskId];
  tx.audit("user", "task.retry", { taskId, from: task.status });
  // Dependents blocked because of this task wait for it again.
  const queue = [...state.dependentsOf(taskId)];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (tx.task(id).status !== "blocked") continue;
    tx.setTaskStatus(id, "open", {}, { reason: "dependency retried" });
    queue.push(...state.dependentsOf(id));
  }
}
