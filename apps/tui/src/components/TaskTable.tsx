import { type ErrorJson, type RunStatus, shownTaskStatus, type TaskState, taskElapsedMs } from "@bernstein/core";
import { Box, Text } from "ink";
import { duration, fit, shortModel, TASK_LOOK, usd } from "../format.js";
import { Tinted } from "./Tinted.js";

export interface TaskTableProps {
  /** Tasks in plan order. */
  tasks: readonly TaskState[];
  /** The run (a task parked by a budget pause shows `waiting: budget`). */
  run?: { status: RunStatus; error: ErrorJson | null };
  /** Index of the selected row. */
  selected: number;
  /** Current time (ms since the epoch) for the elapsed column. */
  now: number;
  /** Columns available. */
  width: number;
  /** Most task rows shown at once; the window scrolls to keep the selection visible. */
  maxRows: number;
}

// Fixed columns; the title takes what is left.
const W = { id: 4, role: 9, status: 18, attempt: 3, model: 18, elapsed: 7, cost: 9 } as const;
const FIXED = Object.values(W).reduce((a, b) => a + b, 0) + 8 + 2;

/** One row per task: id, title, role, status (icon and colour), attempt, model, elapsed, cost. */
export function TaskTable({ tasks, run, selected, now, width, maxRows }: TaskTableProps) {
  const title = Math.max(12, width - FIXED);
  const rows = Math.max(1, maxRows);
  const start = Math.min(Math.max(0, selected - rows + 1), Math.max(0, tasks.length - rows));
  const shown = tasks.slice(start, start + rows);
  const header = [
    fit("ID", W.id),
    fit("TITLE", title),
    fit("ROLE", W.role),
    fit("STATUS", W.status),
    fit("TRY", W.attempt),
    fit("MODEL", W.model),
    fit("ELAPSED", W.elapsed),
    "COST",
  ].join(" ");
  return (
    <Box flexDirection="column">
      <Tinted bold>{`  ${header}`}</Tinted>
      {tasks.length === 0 ? <Text> No tasks yet: the plan is being made.</Text> : null}
      {shown.map((task, i) => {
        const index = start + i;
        const look = TASK_LOOK[task.status];
        const isSelected = index === selected;
        const before = `${isSelected ? "›" : " "} ${fit(task.planId, W.id)} ${fit(task.title, title)} ${fit(task.role, W.role)} `;
        const after = ` ${fit(String(task.attempt), W.attempt)} ${fit(shortModel(task.model), W.model)} ${fit(duration(taskElapsedMs(task, now)), W.elapsed)} ${usd(task.costUsd).padStart(W.cost)}`;
        return (
          <Text key={task.id}>
            <Tinted inverse={isSelected}>{before}</Tinted>
            <Tinted tint={look.tint} inverse={isSelected}>
              {fit(`${look.icon} ${run ? shownTaskStatus(run, task) : task.status}`, W.status)}
            </Tinted>
            <Tinted inverse={isSelected}>{after}</Tinted>
          </Text>
        );
      })}
      {tasks.length > rows ? (
        <Tinted tint="gray">{`  ${start + 1}-${start + shown.length} of ${tasks.length} tasks`}</Tinted>
      ) : null}
    </Box>
  );
}
