import { isTerminalRunStatus, type RunState, taskElapsedMs } from "@bernstein/core";
import { Link } from "wouter";
import { useListKeys } from "../hooks/use-list-keys.js";
import { useNow } from "../hooks/use-now.js";
import { duration, shortModel, usd } from "../lib/format.js";
import { StatusBadge } from "./StatusBadge.js";
import { TaskActions } from "./TaskActions.js";

/** The run's tasks in plan order; arrow keys (or j/k) move between them, Enter opens one. */
export function TaskTable({ state }: { state: RunState }) {
  const now = useNow(!isTerminalRunStatus(state.status));
  const onKeyDown = useListKeys();
  if (state.tasks.length === 0) return <p>No tasks yet: the plan is being made.</p>;
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
            <th scope="col" className="num">
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
            <th scope="col">Actions</th>
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
              <td className="num">{task.attempt}</td>
              <td className="hide-narrow">{shortModel(task.model)}</td>
              <td className="num hide-narrow">{duration(taskElapsedMs(task, now))}</td>
              <td className="num">{usd(task.costUsd)}</td>
              <td>
                <TaskActions task={task} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
