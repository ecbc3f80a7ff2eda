import {
  ACTIVE_TASK_STATUSES,
  type Attempt,
  attemptInstanceId,
  hasHeadroom,
  isDependencySatisfied,
  ownedFilesOverlap,
  pickClaimable,
  type SchedulableTask,
  type SchedulerLimits,
  type Task,
  type TaskWorkflowParams,
} from "@bernstein/core";
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
 * `pickClaimable`'s choice, walking the run's claim order from the first task that may be open
 * and stopping once the slots are filled, instead of sorting every task of the run.
 */
export function pickInOrder(
  taskOf: (id: string) => Task | undefined,
  view: { order: readonly string[]; start: number; active: readonly Task[] },
  limits: SchedulerLimits,
): Task[] {
  const slots = Math.max(0, Math.floor(limits.maxAgents) - view.active.length);
  const picked: Task[] = [];
  if (slots === 0) return picked;
  const holders: Task[] = [...view.active];
  for (let i = view.start; i < view.order.length; i++) {
    if (picked.length >= slots || !hasHeadroom(limits, picked.length + 1)) break;
    const task = taskOf(view.order[i] as string);
    if (task?.status !== "open") continue;
    const depsDone = task.dependsOn.every((d) => {
      const status = taskOf(d)?.status;
      return status !== undefined && isDependencySatisfied(status);
    });
    if (!depsDone) continue;
    if (holders.some((h) => ownedFilesOverlap(h.ownedFiles, task.ownedFiles))) continue;
    picked.push(task);
    holders.push(task);
  }
  return picked;
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
    reservedUsd: Object.values(tx.memory.reservations).reduce((sum, usd) => sum + usd, 0),
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
