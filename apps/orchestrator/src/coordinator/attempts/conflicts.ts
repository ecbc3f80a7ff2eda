import { isTerminalTaskStatus } from "@bernstein/core";
import type { Ctx } from "../context.js";
import { blockDependents } from "../lifecycle.js";
import { decide, dequeue } from "../queue/decisions.js";
import { conflictFeedback } from "./feedback.js";
import { attemptsUsed, MAX_CONFLICTS } from "./retries.js";

/** A merge conflict: a new attempt from the new integration tree, or failure after too many. */
export function conflictAttempt(c: Ctx, instanceId: string, files: string[]): void {
  const { tx } = c;
  const entry = dequeue(c, instanceId);
  if (entry) decide(c, entry, { kind: "conflict", files });
  const attempt = tx.patchAttempt(instanceId, { status: "conflicted", finishedAt: tx.now });
  tx.emit("merge.conflict", attempt.taskId, { instance: attempt.id, files });
  const task = tx.task(attempt.taskId);
  if (isTerminalTaskStatus(task.status)) return;
  if (attemptsUsed(c, task) >= c.state.run.maxRetries + 1 + MAX_CONFLICTS) {
    const message = `merge conflict in ${files.join(", ")}`;
    tx.setTaskStatus(task.id, "failed", { error: { code: "merge_conflict", message } });
    blockDependents(tx, c.state, task.id);
    return;
  }
  tx.setFeedback(task.id, conflictFeedback(files));
  tx.setTaskStatus(task.id, "open", {}, { reason: "merge_conflict" });
}
