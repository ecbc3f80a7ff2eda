import { keys } from "@bernstein/artifacts";
import {
  ATTEMPT_EVENTS,
  costOf,
  isTerminalTaskStatus,
  type Plan,
  planInstanceId,
  roundUsd,
  type UsageEntry,
} from "@bernstein/core";
import { cancelJobsOfRunStmts, type Db, insertTasks } from "@bernstein/db";
import { releaseParked, settleSpend } from "./budget.js";
import { blockDependents } from "./lifecycle.js";
import { type Ctx, decide, dequeue, failAttempt } from "./outcomes.js";
import { tasksFromPlan } from "./plan-tasks.js";

/** Stores the plan's tasks (once) and starts the run. */
export async function acceptPlan(c: Ctx, plan: Plan, db: Db): Promise<void> {
  const { tx, state } = c;
  if (state.tasks.size === 0) {
    const tasks = await tasksFromPlan(state.run, plan, tx.now);
    await c.store.putJson(keys.plan(state.run.id), plan);
    // Thousands of tasks do not fit one batch: they are written before the transaction, and
    // the run only turns `running` (the transaction) once all of them are stored.
    await insertTasks(db, tasks);
    for (const task of tasks) state.tasks.set(task.id, task);
    state.tasksChanged();
  }
  tx.emit("plan.accepted", null, { tasks: state.tasks.size });
  tx.audit("coordinator", "plan.accept", { tasks: state.tasks.size });
  tx.setRunStatus("running");
}

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
  tx.write(cancelJobsOfRunStmts(tx.db, tx.run.id, tx.now));
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

/**
 * A model call's usage: a cost row, the attempt's, task's and run's totals, the reservation
 * settled, and a `cost` event unless the run has ended meanwhile.
 */
export function recordUsage(c: Ctx, entry: UsageEntry): void {
  const { tx, state } = c;
  const runId = tx.run.id;
  const key = `${entry.instanceId}/${entry.step}`;
  if (state.usageKeys.has(key)) return;
  const attempt = entry.instanceId === planInstanceId(runId) ? undefined : tx.attempt(entry.instanceId);
  const usd = costOf(entry.model, entry.usage);
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = entry.usage;
  tx.insertCostEvents([
    {
      runId,
      taskId: attempt?.taskId ?? null,
      attemptId: attempt?.id ?? null,
      step: entry.step,
      model: entry.model,
      tokensIn: inputTokens,
      tokensOut: outputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      costUsd: usd,
      at: tx.now,
    },
  ]);
  if (attempt) {
    tx.patchAttempt(attempt.id, {
      turns: attempt.turns + 1,
      tokensIn: attempt.tokensIn + inputTokens,
      tokensOut: attempt.tokensOut + outputTokens,
      tokensCached: attempt.tokensCached + cacheReadTokens,
      costUsd: roundUsd(attempt.costUsd + usd),
    });
    const task = tx.task(attempt.taskId);
    tx.patchTask(task.id, { costUsd: roundUsd(task.costUsd + usd) });
  }
  tx.patchRun({ spentUsd: roundUsd(tx.run.spentUsd + usd) });
  // A call in flight when the run ended: its usage counts (the rows above), but no event
  // follows the run's terminal one.
  if (!tx.ended) {
    tx.emit("cost", attempt?.taskId ?? null, {
      instance: entry.instanceId,
      step: entry.step,
      model: entry.model,
      tokensIn: inputTokens,
      tokensOut: outputTokens,
      usd,
      runSpentUsd: tx.run.spentUsd,
    });
  }
  settleSpend(c, key);
  state.usageKeys.add(key);
}
