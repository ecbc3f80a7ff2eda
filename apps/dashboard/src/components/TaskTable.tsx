import { isTerminalRunStatus, type RunState, taskElapsedMs } from "@bernstein/core";
import { Link } from "wouter";
import { useListKeys } from "../hooks/use-list-keys.js";
import { useNow } from "../hooks/use-now.js";
import { duration, shortModel, usd } from "../lib/format.js";
import { StatusBadge } from "./StatusBadge.js";
import { hasTaskActions, TaskActions } from "./TaskActions.js";

/** The run's tasks in plan order; arrow keys (or j/k) move between them, Enter opens one. */
export function TaskTable({ state }: { state: RunState }) {
  const now = useNow(!isTerminalRunStatus(state.status));
  const onKeyDown = useListKeys();
  if (state.tasks.length === 0) return <p>No tasks yet: the plan is being made.</p>;
  const actions = state.tasks.some(hasTaskActions);
  return (
    <div className="table-wrap">
      <table className="tasks" onKeyDown={onKeyDown}>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-narrow">
              Role
            </th>
            <th scope="col" className="num hide-narrow">
              Attempt
            </th>
            <th scope="col" className="hide-narrow">
              Model
            </th>
            <th scope="col" className="num hide-narrow">
              Elapsed
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            {actions ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {state.tasks.map((task) => (
            <tr key={task.id} data-task={task.id} data-status={task.status}>
              <td>
                <Link href={`/runs/${state.id}/tasks/${task.id}`} data-nav="">
                  {task.title}
                </Link>
                <div className="sub mono">{task.planId}</div>
              </td>
              <td>
                <StatusBadge status={task.status} />
              </td>
              <td className="hide-narrow">{task.role}</td>
              <td className="num hide-narrow">{task.attempt}</td>
              <td className="hide-narrow">{shortModel(task.model)}</td>
              <td className="num hide-narrow">{duration(taskElapsedMs(task, now))}</td>
              <td className="num">{usd(task.costUsd)}</td>
              {actions ? (
                <td>
                  <TaskActions task={task} compact />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
