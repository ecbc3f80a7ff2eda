import { errorCodeOf, type TaskState } from "@bernstein/core";
import { useEffect, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";
import { type PatchStats, patchStats } from "../patch-stats.js";

/** What the detail pane fetches beyond the reduced state. */
export interface TaskExtras {
  /** The latest patch's size, once an attempt produced one. */
  patch: PatchStats | null;
  /** Last lines of the latest verify log, when there is one. */
  logTail: string[] | null;
  /** Why something could not be fetched (shown, not fatal). */
  error: string | null;
}

const NONE: TaskExtras = { patch: null, logTail: null, error: null };

/**
 * Fetches the selected task's patch stats (`GET /v1/tasks/:id` -> the patch artifact) and the
 * tail of its verify log, again whenever its status, attempt or verification changes.
 */
export function useTaskDetail(api: MonitorApi, task: TaskState | undefined, enabled: boolean, tail = 5): TaskExtras {
  const [extras, setExtras] = useState<TaskExtras>(NONE);
  const key = task ? `${task.id}:${task.status}:${task.attempt}:${task.lastVerify?.at ?? ""}` : "";
  useEffect(() => {
    if (!enabled || !task) return;
    let live = true;
    const id = task.id;
    (async () => {
      const view = await api.getTask(id);
      const latest = [...view.attempts].reverse().find((a) => a.patchKey !== null);
      const patch = latest?.patchKey
        ? patchStats(new TextDecoder().decode(await api.getArtifact(latest.patchKey)))
        : null;
      const log = await readLog(api, id);
      return { patch, logTail: log === null ? null : lastLines(log, tail), error: null };
    })().then(
      (next) => live && setExtras(next),
      (error: unknown) =>
        live && setExtras({ ...NONE, error: `could not load the task's details: ${describe(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [api, key, enabled, tail]);
  return enabled && task ? extras : NONE;
}

/** The task's verify log, or null when it has none yet (`not_found`). */
export async function readLog(api: MonitorApi, taskId: string): Promise<string | null> {
  try {
    return await api.taskLogs(taskId);
  } catch (error) {
    if (errorCodeOf(error) === "not_found") return null;
    throw error;
  }
}

function lastLines(text: string, n: number): string[] {
  return text.trimEnd().split("\n").slice(-n);
}

/** `code: message` of an error, for a one-line notice. */
export function describe(error: unknown): string {
  return `${errorCodeOf(error)}: ${error instanceof Error ? error.message : String(error)}`;
}
