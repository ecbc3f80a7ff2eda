import { ownedFilesOverlap } from "./owned-files.js";
import type { TaskStatus } from "./task-status.js";

/** What the scheduler needs to know about a task. */
export interface SchedulableTask {
  id: string;
  status: TaskStatus;
  /** Lower runs first (0 is the most urgent). */
  priority: number;
  /** Position in the plan; breaks priority ties so scheduling is deterministic. */
  order: number;
  dependsOn: readonly string[];
  ownedFiles: readonly string[];
}

export interface SchedulerLimits {
  maxAgents: number;
  /** Run budget in USD; null or undefined means no budget. */
  budgetUsd?: number | null;
  spentUsd: number;
  /** Money already reserved by steps in flight. */
  reservedUsd: number;
  /** Money a new attempt must be able to reserve before it may start. */
  reservePerTaskUsd: number;
}

/**
 * A dependency counts as satisfied once its patch is in the integration tree, because the
 * dependent task starts from that tree and must see the dependency's changes.
 */
export function isDependencySatisfied(status: TaskStatus): boolean {
  return status === "merged";
}

/**
 * Picks the open tasks to claim now, in the order to claim them. A task is picked when every
 * dependency is satisfied, its owned files overlap no running or already-picked task, the run
 * stays within `maxAgents`, and the budget has headroom for one more attempt. Pure and
 * deterministic: the same input always gives the same output.
 */
export function pickClaimable(
  tasks: readonly SchedulableTask[],
  running: readonly SchedulableTask[],
  limits: SchedulerLimits,
): SchedulableTask[] {
  const statusById = new Map(tasks.map((t) => [t.id, t.status]));
  const candidates = tasks
    .filter((t) => t.status === "open")
    .sort((a, b) => a.priority - b.priority || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return pickInClaimOrder(candidates, (id) => statusById.get(id), running, limits);
}

/**
 * The choice itself, over candidates already in claim order (priority, plan order, id): open
 * ones whose dependencies are satisfied and whose owned files overlap no running or picked
 * task, until the slots or the budget's headroom run out. `pickClaimable` sorts the run's tasks
 * into that order; the coordinator walks an index it keeps in that order. Stops reading
 * `candidates` once the slots are filled.
 */
export function pickInClaimOrder<T extends Pick<SchedulableTask, "status" | "dependsOn" | "ownedFiles">>(
  candidates: Iterable<T>,
  statusOf: (id: string) => TaskStatus | undefined,
  running: readonly T[],
  limits: SchedulerLimits,
): T[] {
  const slots = Math.max(0, Math.floor(limits.maxAgents) - running.length);
  const picked: T[] = [];
  if (slots === 0) return picked;
  const holders: T[] = [...running];
  for (const task of candidates) {
    if (picked.length >= slots || !hasHeadroom(limits, picked.length + 1)) break;
    if (task.status !== "open") continue;
    const depsDone = task.dependsOn.every((d) => {
      const status = statusOf(d);
      return status !== undefined && isDependencySatisfied(status);
    });
    if (!depsDone) continue;
    if (holders.some((h) => ownedFilesOverlap(h.ownedFiles, task.ownedFiles))) continue;
    picked.push(task);
    holders.push(task);
  }
  return picked;
}

/** True when the budget (if any) can reserve `count` more attempts on top of what is committed. */
export function hasHeadroom(limits: SchedulerLimits, count: number): boolean {
  if (limits.budgetUsd === null || limits.budgetUsd === undefined) return true;
  const committed = limits.spentUsd + limits.reservedUsd;
  return committed < limits.budgetUsd && committed + count * limits.reservePerTaskUsd <= limits.budgetUsd;
}
