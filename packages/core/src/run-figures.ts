import type { RunState, TaskState } from "./schemas/run-state.js";
import { ACTIVE_TASK_STATUSES, TASK_STATUSES, type TaskStatus } from "./task-status.js";

/** The numbers every view of a run shows, derived from its reduced state only. */
export interface RunFigures {
  /** Tasks in the plan. */
  total: number;
  /** Tasks merged into the integration tree: the run's progress. */
  merged: number;
  /** Tasks that ended without merging (failed, blocked, cancelled). */
  unmerged: number;
  /** Tasks holding an agent (claimed, in progress, verifying). */
  running: number;
  /** Tasks waiting for a user's approval. */
  awaitingApproval: number;
  maxAgents: number;
  byStatus: Record<TaskStatus, number>;
  spentUsd: number;
  budgetUsd: number | null;
  /** spent / budget (may exceed 1), null without a budget. */
  budgetShare: number | null;
  /** merged / total, 0 for an empty plan. */
  progress: number;
  /** From the run's creation to its end, or to `nowMs` while it goes on. */
  elapsedMs: number;
}

/** Derives the header figures of a run at time `nowMs` (ms since the epoch). */
export function runFigures(state: RunState, nowMs: number): RunFigures {
  const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const task of state.tasks) byStatus[task.status]++;
  const total = state.tasks.length;
  const merged = byStatus.merged;
  const running = state.tasks.filter((t) => ACTIVE_TASK_STATUSES.has(t.status)).length;
  return {
    total,
    merged,
    unmerged: byStatus.failed + byStatus.blocked + byStatus.cancelled,
    running,
    awaitingApproval: byStatus.pending_approval,
    maxAgents: state.maxAgents,
    byStatus,
    spentUsd: state.spentUsd,
    budgetUsd: state.budgetUsd,
    budgetShare: state.budgetUsd === null ? null : state.spentUsd / state.budgetUsd,
    progress: total === 0 ? 0 : merged / total,
    elapsedMs: span(state.createdAt, state.finishedAt, nowMs) ?? 0,
  };
}

/** How long a task has been worked on: from its first claim to its end (or `nowMs`); null before. */
export function taskElapsedMs(task: TaskState, nowMs: number): number | null {
  return task.startedAt === null ? null : span(task.startedAt, task.finishedAt, nowMs);
}

function span(from: string, to: string | null, nowMs: number): number | null {
  const start = Date.parse(from);
  const end = to === null ? nowMs : Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
