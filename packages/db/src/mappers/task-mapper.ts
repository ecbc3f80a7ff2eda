import type { Task } from "@bernstein/core";
import type { TaskDepRow, TaskRow, tasks } from "../schema.js";

type TaskInsert = typeof tasks.$inferInsert;

/** A core Task as a `tasks` row; its `dependsOn` goes to `task_deps` (see `taskDepRows`). */
export function taskToRow(task: Task): TaskInsert {
  return {
    id: task.id,
    runId: task.runId,
    planId: task.planId,
    title: task.title,
    description: task.description,
    role: task.role,
    priority: task.priority,
    order: task.order,
    status: task.status,
    version: task.version,
    ownedFiles: task.ownedFiles,
    completionSignals: task.completionSignals,
    approvalRequired: task.approvalRequired,
    maxCostUsd: task.maxCostUsd,
    attempt: task.attempt,
    costUsd: task.costUsd,
    summary: task.summary,
    error: task.error,
    mergedSeq: task.mergedSeq,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

/** The `task_deps` rows of a task, in `dependsOn` order. */
export function taskDepRows(task: Pick<Task, "id" | "dependsOn">): TaskDepRow[] {
  return task.dependsOn.map((dependsOnId) => ({ taskId: task.id, dependsOnId }));
}

/** A `tasks` row and its dependency ids as a core Task. */
export function taskFromRow(row: TaskRow, dependsOn: string[]): Task {
  return {
    id: row.id,
    runId: row.runId,
    planId: row.planId,
    title: row.title,
    description: row.description,
    role: row.role,
    priority: row.priority,
    order: row.order,
    status: row.status,
    version: row.version,
    dependsOn,
    ownedFiles: row.ownedFiles,
    completionSignals: row.completionSignals,
    approvalRequired: row.approvalRequired,
    maxCostUsd: row.maxCostUsd,
    attempt: row.attempt,
    costUsd: row.costUsd,
    summary: row.summary,
    error: row.error,
    mergedSeq: row.mergedSeq,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Groups dependency rows by task, keeping their order. */
export function groupDeps(rows: readonly TaskDepRow[]): Map<string, string[]> {
  const byTask = new Map<string, string[]>();
  for (const { taskId, dependsOnId } of rows) {
    const list = byTask.get(taskId);
    if (list) list.push(dependsOnId);
    else byTask.set(taskId, [dependsOnId]);
  }
  return byTask;
}
