import { BernsteinError } from "@bernstein/core";
import { failAttempt } from "../attempts/outcomes.js";
import type { Ctx } from "../context.js";
import { advanceQueue } from "./merge-queue.js";

function pending(c: Ctx, taskId: string) {
  const task = c.tx.task(taskId);
  const entry = c.tx.memory.approvals[taskId];
  if (task.status !== "pending_approval" || !entry) {
    throw new BernsteinError("illegal_transition", `task ${taskId} is ${task.status}, not waiting for approval`, {
      details: { from: task.status },
    });
  }
  return { task, entry };
}

/** Approves a verified task: it goes back into the merge queue (re-verified if the tree moved). */
export async function approveTask(c: Ctx, taskId: string): Promise<void> {
  const { tx } = c;
  const { entry } = pending(c, taskId);
  delete tx.memory.approvals[taskId];
  tx.audit("user", "task.approve", { taskId, instance: entry.instanceId });
  tx.setTaskStatus(taskId, "done", {}, { reason: "approved" });
  tx.memory.queue.push({ ...entry, approved: true });
  await advanceQueue(c);
}

/** Rejects a verified task: it fails with the reason, and no attempt follows. */
export async function rejectTask(c: Ctx, taskId: string, reason: string): Promise<void> {
  const { entry } = pending(c, taskId);
  c.tx.audit("user", "task.reject", { taskId, instance: entry.instanceId, reason });
  await failAttempt(c, entry.instanceId, { code: "rejected", message: reason || "rejected by the user" });
}
