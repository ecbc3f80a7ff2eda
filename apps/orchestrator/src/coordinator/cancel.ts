import { ATTEMPT_EVENTS, isTerminalTaskStatus } from "@bernstein/core";
import { failAttempt } from "./attempts/outcomes.js";
import { releaseParked } from "./budget.js";
import type { Ctx } from "./context.js";
import { blockDependents } from "./lifecycle.js";
import { decide, dequeue } from "./queue/decisions.js";

/** Cancels the run: unfinished tasks end `cancelled`, waiting attempts are told, jobs withdrawn. */
export async function cancelRun(c: Ctx): Promise<void> {
  const { tx, state } = c;
  if (tx.run.status === "completed" || tx.run.status === "cancelled") return;
  for (const task of tx.tasks()) {
    if (!isTerminalTaskStatus(task.status)) tx.setTaskStatus(task.id, "cancelled", {}, { reason: "run cancelled" });
  }
  for (const attempt of state.attempts.values()) {
    if (attempt.status === "running") {
      await failAttempt(
        c,
        attempt.id,
        { code: "illegal_transition", message: "the run was cancelled" },
        { status: "cancelled" },
      );
    }
  }
  releaseParked(c, { kind: "stop", error: { code: "illegal_transition", message: "the run was cancelled" } });
  for (const job of tx.jobs()) {
    if (job.status === "queued" || job.status === "running") tx.patchJob(job.id, { status: "cancelled" });
  }
  tx.audit("user", "run.cancel", {});
  tx.setRunStatus("cancelled");
}

/** Cancels one task (409 `illegal_transition` once finished); its attempt stops at its next step. */
export async function cancelTask(c: Ctx, taskId: string): Promise<void> {
  const { tx, state } = c;
  const task = tx.task(taskId);
  tx.setTaskStatus(taskId, "cancelled", {}, { reason: "cancelled by the user" });
  for (const attempt of state.attempts.values()) {
    if (attempt.taskId === taskId && attempt.status === "running") {
      const entry = dequeue(c, attempt.id);
      const error = { code: "illegal_transition" as const, message: "the task was cancelled" };
      if (entry) decide(c, entry, { kind: "failed", error });
      tx.patchAttempt(attempt.id, { status: "cancelled", error, finishedAt: tx.now });
      if (tx.memory.parked.includes(attempt.id)) {
        tx.notify(attempt.id, ATTEMPT_EVENTS.budget, { kind: "stop", error });
        tx.memory.parked = tx.memory.parked.filter((id) => id !== attempt.id);
      }
    }
  }
  tx.audit("user", "task.cancel", { taskId, from: task.status });
  blockDependents(tx, state, taskId);
}
