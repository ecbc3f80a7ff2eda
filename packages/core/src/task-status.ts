import { z } from "zod";
import { BernsteinError } from "./errors.js";

/** The task lifecycle, as in upstream Bernstein. */
export const TASK_STATUSES = [
  "planned",
  "open",
  "claimed",
  "in_progress",
  "verifying",
  "pending_approval",
  "done",
  "merged",
  "failed",
  "blocked",
  "cancelled",
] as const;

export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/**
 * Legal transitions. `planned` is a task waiting to be released, `open` one the scheduler may
 * claim, `done` one whose patch passed its checks and waits in the merge queue, `merged` one
 * whose patch is in the integration tree. `-> open` from a working state starts a new attempt.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  planned: ["open", "blocked", "cancelled"],
  open: ["claimed", "blocked", "cancelled"],
  claimed: ["in_progress", "open", "failed", "cancelled"],
  in_progress: ["verifying", "pending_approval", "done", "open", "failed", "cancelled"],
  verifying: ["pending_approval", "done", "open", "failed", "blocked", "cancelled"],
  pending_approval: ["done", "failed", "cancelled"],
  done: ["merged", "open", "failed", "cancelled"],
  merged: [],
  failed: ["open"],
  blocked: ["open", "cancelled"],
  cancelled: [],
};

/** Statuses a task never leaves on its own (retry of a failed task is a user action). */
export const TERMINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(["merged", "failed", "blocked", "cancelled"]);

/** Statuses in which a task holds an agent slot and its owned files. */
export const ACTIVE_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(["claimed", "in_progress", "verifying"]);

export function isTerminalTaskStatus(status: TaskStatus): boolean {
  return TERMINAL_TASK_STATUSES.has(status);
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

/** Throws `illegal_transition` unless `from -> to` is in the table. */
export function assertTransition(from: TaskStatus, to: TaskStatus, taskId?: string): void {
  if (!canTransition(from, to)) {
    throw new BernsteinError(
      "illegal_transition",
      `task ${taskId ?? ""} cannot go from ${from} to ${to}`.replace("task  ", "task "),
      { details: { from, to, ...(taskId ? { task_id: taskId } : {}) } },
    );
  }
}

/** The part of a task every status write needs. */
export interface VersionedStatus {
  id: string;
  status: TaskStatus;
  version: number;
}

/**
 * The one function every task status write goes through: checks the transition and bumps the
 * optimistic version. Storage writes `WHERE version = before.version`.
 */
export function transitionTask<T extends VersionedStatus>(task: T, to: TaskStatus): T {
  assertTransition(task.status, to, task.id);
  return { ...task, status: to, version: task.version + 1 };
}
