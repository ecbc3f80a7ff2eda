import { describeRunEvent, type RunEvent, type Task } from "@bernstein/core";
import type { Colors } from "../output/colors.js";

/** Task titles by id, refreshed when the plan lands. */
export type TaskTitles = Map<string, string>;

/** Indexes tasks by id for progress lines. */
export function titlesOf(tasks: readonly Task[]): TaskTitles {
  return new Map(tasks.map((task) => [task.id, task.title]));
}

/** The line a run event prints while following a run, or undefined for chatter (turns, cost). */
export function progressLine(event: RunEvent, titles: TaskTitles, color: Colors): string | undefined {
  const time = color.dim(`[${clock(event.at)}]`);
  const data = event.data;
  const task = event.taskId ? `${titles.get(event.taskId) ?? event.taskId}` : "";
  const str = (value: unknown) => (typeof value === "string" ? value : undefined);
  const num = (value: unknown) => (typeof value === "number" ? value : undefined);
  switch (event.type) {
    case "run.created":
      return `${time} run ${event.runId} created`;
    case "run.status": {
      const status = str(data.to) ?? str(data.status) ?? "?";
      const error = errorText(data.error);
      return `${time} run ${statusColor(status, color)}${error ? `: ${error}` : ""}`;
    }
    case "plan.accepted": {
      const count = num(data.tasks) ?? (Array.isArray(data.tasks) ? data.tasks.length : undefined);
      return `${time} plan accepted${count === undefined ? "" : `: ${count} task${count === 1 ? "" : "s"}`}`;
    }
    case "plan.rejected":
      return `${time} ${color.red("plan rejected")}${str(data.message) ? `: ${str(data.message)}` : ""}`;
    case "task.status": {
      const to = str(data.to) ?? str(data.status) ?? "?";
      const from = str(data.from);
      const error = errorText(data.error);
      return `${time} ${task}: ${from ? `${from} -> ` : ""}${statusColor(to, color)}${error ? `: ${error}` : ""}`;
    }
    case "attempt.started":
      return `${time} ${task}: attempt ${num(data.attempt) ?? "?"} started${str(data.model) ? ` (${str(data.model)})` : ""}`;
    case "attempt.finished": {
      const outcome = str(data.outcome) ?? "finished";
      const files = num(data.files);
      const error = errorText(data.error);
      const detail = error
        ? `: ${error}`
        : files === undefined
          ? ""
          : ` (${files} file${files === 1 ? "" : "s"} changed)`;
      return `${time} ${task}: attempt ${statusColor(outcome, color)}${detail}`;
    }
    case "merge.applied":
      return `${time} ${task}: ${color.green("merged")}${num(data.seq) === undefined ? "" : ` (integration #${num(data.seq)})`}`;
    case "merge.conflict":
      return `${time} ${task}: ${color.yellow("merge conflict")}, retrying on the new base`;
    case "model.retrying": {
      const retryIn = num(data.retry_in);
      const what = `${str(data.provider) ?? "the model"} ${num(data.status) ?? "unreachable"}`;
      return `${time} ${color.yellow("model unavailable")}: ${what}${retryIn === undefined ? "" : `, retrying in ${Math.ceil(retryIn)}s`}`;
    }
    case "model.available":
      return `${time} ${color.green("model available")}: ${str(data.provider) ?? "the model"} answers again${data.resumed === true ? "; run resumed" : ""}`;
    case "budget.warning":
      return `${time} ${color.yellow("budget")}: ${str(data.message) ?? JSON.stringify(data)}`;
    case "job.lost":
      return `${time} ${color.yellow(describeRunEvent(event, (id) => titles.get(id)).text)}`;
    default:
      return undefined;
  }
}

function errorText(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof message === "string" ? `${typeof code === "string" ? `${code}: ` : ""}${message}` : undefined;
}

/** A status word in its colour: green done, red failed, yellow waiting. */
export function statusColor(status: string, color: Colors): string {
  if (status === "completed" || status === "merged" || status === "done" || status === "succeeded")
    return color.green(status);
  if (status === "failed" || status === "blocked" || status === "cancelled" || status === "conflicted")
    return color.red(status);
  if (status === "pending_approval" || status === "paused" || status.startsWith("waiting:"))
    return color.yellow(status);
  return status;
}

function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}
