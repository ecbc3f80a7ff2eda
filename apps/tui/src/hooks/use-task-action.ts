import type { TaskState } from "@bernstein/core";
import { useCallback, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";
import { describe } from "./use-task-detail.js";

export type TaskActionKind = "approve" | "reject" | "cancel" | "retry";

/** A one-line message under the table: what an action did, or why it failed. */
export interface Notice {
  text: string;
  tone: "ok" | "bad" | "info";
}

const DONE: Readonly<Record<TaskActionKind, string>> = {
  approve: "approved",
  reject: "rejected",
  cancel: "cancelled",
  retry: "retrying",
};

export interface TaskActions {
  /** An action is in flight. */
  busy: boolean;
  notice: Notice | null;
  /** Sends the action to the API; the change itself arrives with the run's events. */
  act(kind: TaskActionKind, task: TaskState): void;
  say(notice: Notice | null): void;
}

/**
 * Approve, reject, cancel and retry through the API, with a notice of the outcome; `onDone`
 * is told after each action the API accepted.
 */
export function useTaskAction(api: MonitorApi, onDone?: () => void): TaskActions {
  const [busy, setBusy] = useState(false);
  const [notice, say] = useState<Notice | null>(null);
  const act = useCallback(
    (kind: TaskActionKind, task: TaskState) => {
      setBusy(true);
      say({ text: `${kind} ${task.title}…`, tone: "info" });
      const call =
        kind === "approve"
          ? api.approveTask(task.id)
          : kind === "reject"
            ? api.rejectTask(task.id, "rejected in the monitor")
            : kind === "cancel"
              ? api.cancelTask(task.id)
              : api.retryTask(task.id);
      void call
        .then(
          () => {
            say({ text: `${DONE[kind]} ${task.title}`, tone: "ok" });
            onDone?.();
          },
          (error: unknown) => say({ text: `error: ${describe(error)}`, tone: "bad" }),
        )
        .finally(() => setBusy(false));
    },
    [api, onDone],
  );
  return { busy, notice, act, say };
}
