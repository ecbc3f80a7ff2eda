import { ACTIVE_TASK_STATUSES, type TaskState } from "@bernstein/core";
import { type FormEvent, useId, useState } from "react";
import { client } from "../api.js";
import { useAction } from "../hooks/use-action.js";
import { ErrorNotice } from "./ErrorNotice.js";

const RETRYABLE = new Set(["failed", "blocked", "cancelled"]);
const CANCELLABLE = new Set(["planned", "open", "pending_approval", ...ACTIVE_TASK_STATUSES]);

/** Whether a task in this status has any control to offer. */
export function hasTaskActions(task: TaskState): boolean {
  return task.status === "pending_approval" || RETRYABLE.has(task.status) || CANCELLABLE.has(task.status);
}

/**
 * The controls a task's status allows, as the CLI's `approve`, `reject --reason`, `retry` and
 * `cancel` (same API calls, same errors). Rejecting asks for a reason first.
 */
export function TaskActions({ task, compact = false }: { task: TaskState; compact?: boolean }) {
  const action = useAction();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const name = compact ? ` ${task.title}` : "";

  const reject = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => client.rejectTask(task.id, reason.trim()))) setRejecting(false);
  };
  const button = (label: string, act: () => Promise<unknown>, className = "") => (
    <button
      type="button"
      className={className}
      disabled={action.pending}
      aria-label={compact ? `${label}${name}` : undefined}
      onClick={() => action.run(act)}
    >
      {label}
    </button>
  );

  return (
    <div className="actions">
      {task.status === "pending_approval" && !rejecting ? (
        <>
          {button("Approve", () => client.approveTask(task.id), "primary")}
          <button
            type="button"
            disabled={action.pending}
            aria-label={compact ? `Reject${name}` : undefined}
            onClick={() => setRejecting(true)}
          >
            Reject
          </button>
        </>
      ) : null}
      {rejecting ? (
        <form className="inline" onSubmit={reject}>
          <label htmlFor={reasonId}>Reason</label>
          <input
            id={reasonId}
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            placeholder="why it should not merge"
          />
          <button type="submit" className="danger" disabled={action.pending}>
            Reject task
          </button>
          <button type="button" onClick={() => setRejecting(false)}>
            Back
          </button>
        </form>
      ) : null}
      {RETRYABLE.has(task.status) ? button("Retry", () => client.retryTask(task.id)) : null}
      {CANCELLABLE.has(task.status) && !rejecting ? button("Cancel", () => client.cancelTask(task.id), "danger") : null}
      {action.error ? <ErrorNotice error={action.error} /> : null}
    </div>
  );
}
