import type { RunStatus, TaskStatus } from "@bernstein/core";
import { RUN_LOOK, statusWord, TASK_LOOK } from "../lib/status.js";

/** A status as icon + word (colour only adds to them), for tasks or runs. */
export function StatusBadge(props: { status: TaskStatus; run?: false } | { status: RunStatus; run: true }) {
  const look = props.run ? RUN_LOOK[props.status] : TASK_LOOK[props.status];
  return (
    <span className={`badge tone-${look.tone}`} data-status={props.status}>
      <span aria-hidden="true">{look.icon}</span> {statusWord(props.status)}
    </span>
  );
}
