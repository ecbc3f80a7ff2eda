import { ACTIVE_TASK_STATUSES, type TaskState } from "@bernstein/core";
import { useEffect, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";
import { describe, readLog } from "./use-task-detail.js";

/** The followed log of a task. */
export interface TaskLog {
  /** The log text; null while there is none yet. */
  text: string | null;
  error: string | null;
  loading: boolean;
}

/**
 * Follows a task's verify log (`GET /v1/tasks/:id/logs`): read when the task changes, and every
 * `pollMs` while an agent holds it (the log grows only while it is verified).
 */
export function useTaskLog(api: MonitorApi, task: TaskState | undefined, enabled: boolean, pollMs = 2_000): TaskLog {
  const [log, setLog] = useState<TaskLog>({ text: null, error: null, loading: true });
  const active = task ? ACTIVE_TASK_STATUSES.has(task.status) : false;
  const key = task ? `${task.id}:${task.status}:${task.attempt}:${task.lastVerify?.at ?? ""}` : "";
  useEffect(() => {
    if (!enabled || !task) return;
    let live = true;
    const id = task.id;
    const read = () =>
      readLog(api, id).then(
        (text) => live && setLog({ text, error: null, loading: false }),
        (error: unknown) => live && setLog({ text: null, error: describe(error), loading: false }),
      );
    void read();
    const timer = active ? setInterval(read, pollMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [api, key, enabled, active, pollMs]);
  return log;
}
