import {
  ACTIVE_TASK_STATUSES,
  type Attempt,
  attemptInstanceId,
  pickClaimable,
  type SchedulableTask,
  type SchedulerLimits,
  type Task,
  type TaskWorkflowParams,
} from "@bernstein/core";
import { pickInOrder } from "./claim-index.js";
import type { Tx } from "./context.js";

/** A workflow instance to create once the transaction that claimed its task is committed. */
export interface Dispatch {
  id: string;
  params: TaskWorkflowParams;
}

function schedulable(task: Task): SchedulableTask {
  return {
    id: task.id,
    status: task.status,
    priority: task.priority,
    order: task.order,
    dependsOn: task.dependsOn,
    ownedFiles: task.ownedFiles,
  };
}

/**
 * Claims every task the scheduler allows right now: `open -> claimed`, a new attempt row with
 * the deterministic instance id, and the workflow to start. Called after every change that can
 * free a slot or satisfy a dependency; there is no polling tick.
 */
export function claimReady(tx: Tx): Dispatch[] {
  const run = tx.run;
  // Most changes free no slot: the counts say so without looking at every task.
  if (run.status !== "running" || tx.count("open") === 0 || tx.count(ACTIVE_TASK_STATUSES) >= run.maxAgents) return [];
  const limits: SchedulerLimits = {
    maxAgents: run.maxAgents,
    budgetUsd: run.budgetUsd,
    spentUsd: run.spentUsd,
    reservedUsd: Object.values(tx.memoryView.reservations).reduce((sum, usd) => sum + usd, 0),
    reservePerTaskUsd: 0,
  };
  const view = tx.claimView();
  let picked: readonly { id: string }[];
  if (view) picked = pickInOrder((id) => tx.findTask(id), view, limits);
  else {
    const tasks = tx.tasks();
    const running = tasks.filter((t) => ACTIVE_TASK_STATUSES.has(t.status));
    picked = pickClaimable(tasks.map(schedulable), running.map(schedulable), limits);
  }
  return picked.map(({ id }) => {
    const n = tx.task(id).attempt + 1;
    const instanceId = attemptInstanceId(run.id, id, n);
    tx.setTaskStatus(id, "claimed", { attempt: n }, { instance: instanceId });
    const attempt: Attempt = {
      id: instanceId,
      runId: run.id,
      taskId: id,
      n,
      status: "running",
      model: run.model,
      baseSeq: run.integrationSeq,
      turns: 0,
      tokensIn: 0,
      tokensOut: 0,
      tokensCached: 0,
      costUsd: 0,
      patchKey: null,
      patchSha256: null,
      resultManifest: null,
      summary: null,
      error: null,
      startedAt: tx.now,
      finishedAt: null,
    };
    tx.insertAttempt(attempt);
    tx.memory.boots[instanceId] = tx.bootId;
    return { id: instanceId, params: { runId: run.id, taskId: id, attempt: n } };
  });
}
