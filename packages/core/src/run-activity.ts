import type { ErrorJson } from "./errors.js";
import { outageWhat } from "./model-outage.js";
import { formatUsd } from "./money.js";
import { dataBoolean, dataError, dataNumber, dataString, dataStrings } from "./run-event-data.js";
import type { RunEvent } from "./schemas/run-event.js";
import type { ActivityTone } from "./schemas/run-state.js";
import { NO_RUNNER_CONNECTED, START_RUNNER_HINT } from "./schemas/runner-status.js";

/** An event in words, for the activity feed and `--watch` lines. */
export interface EventDescription {
  text: string;
  tone: ActivityTone;
}

const BAD_TASK = new Set(["failed", "blocked", "cancelled"]);
const BAD_ATTEMPT = new Set(["failed", "cancelled", "conflicted"]);

/**
 * Describes one run event in a line of plain text (colour is the caller's, from `tone`).
 * `titleOf` names tasks by title; unknown ids are shown as they are.
 */
export function describeRunEvent(event: RunEvent, titleOf: (taskId: string) => string | undefined): EventDescription {
  const { data } = event;
  const name = (id: string | null) => (id ? (titleOf(id) ?? id) : "planning");
  const task = name(event.taskId);
  const error = errorText(dataError(data));
  switch (event.type) {
    case "run.created":
      return { text: `run ${event.runId} created: ${dataString(data, "goal") ?? ""}`.trimEnd(), tone: "info" };
    case "run.status": {
      const to = dataString(data, "to") ?? dataString(data, "status") ?? "?";
      const tone = to === "completed" ? "ok" : to === "failed" || to === "cancelled" ? "bad" : "info";
      return { text: `run ${to}${error ? `: ${error}` : ""}`, tone: to === "paused" ? "warn" : tone };
    }
    case "plan.accepted": {
      const n = dataNumber(data, "tasks");
      return { text: `plan accepted${n === undefined ? "" : `: ${n} task${n === 1 ? "" : "s"}`}`, tone: "ok" };
    }
    case "plan.rejected":
      return { text: `plan rejected${error ? `: ${error}` : ""}`, tone: "bad" };
    case "task.status":
      return taskStatus(event, task, error, name);
    case "attempt.started": {
      const model = dataString(data, "model");
      return {
        text: `${task}: attempt ${dataNumber(data, "attempt") ?? "?"} started${model ? ` (${model})` : ""}`,
        tone: "info",
      };
    }
    case "attempt.finished": {
      const outcome = dataString(data, "outcome") ?? "finished";
      const files = dataNumber(data, "files");
      const n = attemptNumber(dataString(data, "instance"));
      const detail = error
        ? `: ${error}`
        : files === undefined
          ? ""
          : ` (${files} file${files === 1 ? "" : "s"} changed)`;
      const tone = BAD_ATTEMPT.has(outcome)
        ? "bad"
        : outcome === "succeeded" || outcome === "submitted"
          ? "ok"
          : "info";
      return { text: `${task}: attempt${n === undefined ? "" : ` ${n}`} ${outcome}${detail}`, tone };
    }
    case "attempt.turn":
      return { text: `${task}: turn ${dataNumber(data, "turn") ?? ""}`.trimEnd(), tone: "quiet" };
    case "merge.applied": {
      const seq = dataNumber(data, "seq");
      return { text: `${task}: merged${seq === undefined ? "" : ` (integration #${seq})`}`, tone: "ok" };
    }
    case "merge.conflict": {
      const files = dataStrings(data, "files") ?? [];
      return { text: `${task}: merge conflict${files.length ? ` in ${files.join(", ")}` : ""}`, tone: "warn" };
    }
    case "cost": {
      const usd = dataNumber(data, "usd") ?? 0;
      const tokens = `${dataNumber(data, "tokensIn") ?? 0} in / ${dataNumber(data, "tokensOut") ?? 0} out`;
      return { text: `${task}: ${formatUsd(usd)} (${dataString(data, "model") ?? "?"}, ${tokens})`, tone: "quiet" };
    }
    case "budget.warning":
      return budgetWarning(data);
    case "job.lost":
      return jobLost(data, event.taskId ? `${task}: ` : "");
    case "log":
      return logLine(data, task);
    case "model.retrying": {
      const retryIn = dataNumber(data, "retry_in");
      const when = retryIn === undefined ? "" : `, retrying in ${Math.ceil(retryIn)}s`;
      const what = outageWhat(dataString(data, "provider"), dataNumber(data, "status"));
      return { text: `model unavailable: ${what}${when}`, tone: "warn" };
    }
    case "model.available": {
      const down = dataNumber(data, "down_s");
      const after = down === undefined ? "" : ` after ${Math.round(down)}s`;
      const resumed = dataBoolean(data, "resumed") ? "; run resumed" : "";
      return { text: `${dataString(data, "provider") ?? "the model"} answers again${after}${resumed}`, tone: "ok" };
    }
    default:
      return { text: `${event.taskId ? `${task}: ` : ""}${event.type}`, tone: "info" };
  }
}

function taskStatus(
  event: RunEvent,
  task: string,
  error: string | undefined,
  name: (id: string | null) => string,
): EventDescription {
  const to = dataString(event.data, "to") ?? dataString(event.data, "status") ?? "?";
  const from = dataString(event.data, "from");
  const reason = dataString(event.data, "reason");
  const because = dataString(event.data, "because");
  const why = error ? `: ${error}` : because ? ` (after ${name(because)})` : reason ? ` (${reason})` : "";
  let tone: ActivityTone = "info";
  if (to === "merged") tone = "ok";
  else if (BAD_TASK.has(to)) tone = "bad";
  else if (to === "pending_approval" || (to === "open" && reason !== undefined)) tone = "warn";
  return { text: `${task}: ${from ? `${from} -> ` : ""}${to}${why}`, tone };
}

function budgetWarning(data: Readonly<Record<string, unknown>>): EventDescription {
  const spent = formatUsd(dataNumber(data, "spentUsd") ?? 0);
  const budget = dataNumber(data, "budgetUsd");
  const of = budget === undefined ? "" : ` of ${formatUsd(budget)}`;
  const added = dataNumber(data, "added");
  if (added !== undefined)
    return { text: `budget raised by ${formatUsd(added)} to ${formatUsd(budget ?? 0)}`, tone: "info" };
  if (dataBoolean(data, "paused")) return { text: `budget: spent ${spent}${of}; run paused`, tone: "warn" };
  return { text: `budget: spent ${spent}${of}`, tone: "warn" };
}

/** `Fix add: runner ci-1 lost its lease on the verification; ci-2 took it over`. */
function jobLost(data: Readonly<Record<string, unknown>>, prefix: string): EventDescription {
  const kind = dataString(data, "kind");
  const what = kind === "exec" ? "command" : kind === "baseline" ? "baseline check" : "verification";
  const runner = dataString(data, "runner") ?? "?";
  const takenBy = dataString(data, "takenBy") ?? "another runner";
  return {
    text: `${prefix}runner ${runner} lost its lease on the ${what}; ${takenBy} took it over`,
    tone: "warn",
  };
}

function logLine(data: Readonly<Record<string, unknown>>, task: string): EventDescription {
  const kind = dataString(data, "kind");
  if (kind === "verify") {
    if (dataBoolean(data, "passed")) return { text: `${task}: verify passed`, tone: "ok" };
    const how = dataBoolean(data, "timedOut")
      ? "timed out"
      : `failed (exit code ${dataNumber(data, "exitCode") ?? "none"})`;
    return { text: `${task}: verify ${how}`, tone: "bad" };
  }
  if (kind === "verify.queued") return { text: `${task}: verification queued`, tone: "info" };
  if (kind === "command.queued") return { text: `${task}: $ ${dataString(data, "command") ?? "?"}`, tone: "quiet" };
  if (kind === "command") return commandLine(data, task);
  return { text: `${task}: ${dataString(data, "message") ?? kind ?? "log"}`, tone: "quiet" };
}

/** A finished `run_command`: `t1: $ npm test -> exit 1 in 0.8 s`. */
function commandLine(data: Readonly<Record<string, unknown>>, task: string): EventDescription {
  const command = dataString(data, "command") ?? "?";
  const ms = dataNumber(data, "durationMs");
  const took = ms === undefined ? "" : ` in ${(ms / 1000).toFixed(1)} s`;
  const problem = dataString(data, "problem");
  if (problem) {
    const fix = problem === NO_RUNNER_CONNECTED ? `; ${START_RUNNER_HINT}` : "";
    return { text: `${task}: $ ${command} -> not run: ${problem}${fix}`, tone: "warn" };
  }
  if (dataBoolean(data, "timedOut")) return { text: `${task}: $ ${command} -> timed out${took}`, tone: "warn" };
  const code = dataNumber(data, "exitCode");
  const how = code === undefined ? "killed" : `exit ${code}`;
  return { text: `${task}: $ ${command} -> ${how}${took}`, tone: code === 0 ? "info" : "warn" };
}

/** `<run>-<task>-a<n>` -> n. */
export function attemptNumber(instance: string | undefined): number | undefined {
  const match = instance ? /-a(\d+)$/.exec(instance) : null;
  return match ? Number(match[1]) : undefined;
}

function errorText(error: ErrorJson | undefined): string | undefined {
  if (!error) return undefined;
  const message = error.message.replace(/\s*\n\s*/g, " ").trim();
  return `${error.code}: ${message.length > 200 ? `${message.slice(0, 199)}…` : message}`;
}
