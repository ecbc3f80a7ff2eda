import { attemptNumber } from "./run-activity.js";
import { dataBoolean, dataError, dataNumber, dataString, dataStrings } from "./run-event-data.js";
import type { RunEvent } from "./schemas/run-event.js";
import type { AttemptTrace, TaskState } from "./schemas/run-state.js";

// What the RunView cannot tell and only the event log can: each task's attempts, when it was
// first claimed and the last verification. Applied once per event, in seq order, whether the
// snapshot already reflects the event or not.

// An attempt's outcome only moves forward, so a repeated event never turns it back.
const RANK: Readonly<Record<string, number>> = { running: 0, submitted: 1 };
const rank = (outcome: string) => RANK[outcome] ?? 2;

/** The task with the parts of `event` that the snapshot does not carry. */
export function traceTask(task: TaskState, event: RunEvent, runModel: string): TaskState {
  const { data, at } = event;
  switch (event.type) {
    case "task.status": {
      if (dataString(data, "to") !== "claimed") return task;
      const n = dataNumber(data, "attempt") ?? task.attempt + 1;
      const instance = dataString(data, "instance") ?? `${task.runId}-${task.id}-a${n}`;
      return {
        ...task,
        attempts: upsert(task.attempts, n, instance, at, {}),
        model: runModel,
        startedAt: task.startedAt ?? at,
      };
    }
    case "attempt.started": {
      const instance = dataString(data, "instance");
      const n = dataNumber(data, "attempt") ?? attemptNumber(instance);
      if (!instance || n === undefined) return task;
      const model = dataString(data, "model") ?? null;
      return {
        ...task,
        attempts: upsert(task.attempts, n, instance, at, { model }),
        model: model ?? task.model,
        startedAt: task.startedAt ?? at,
      };
    }
    case "attempt.finished": {
      const instance = dataString(data, "instance");
      const n = attemptNumber(instance);
      if (!instance || n === undefined) return task;
      const outcome = dataString(data, "outcome") ?? "failed";
      const files = dataNumber(data, "files");
      const error = dataError(data);
      return {
        ...task,
        ...(outcome === "running" ? {} : { command: null }),
        attempts: upsert(task.attempts, n, instance, at, {
          outcome,
          ...(files === undefined ? {} : { files }),
          ...(error ? { error } : {}),
          ...(outcome === "submitted" ? {} : { finishedAt: at }),
        }),
      };
    }
    case "merge.conflict": {
      const instance = dataString(data, "instance");
      const n = attemptNumber(instance);
      if (!instance || n === undefined) return task;
      const conflicts = dataStrings(data, "files") ?? [];
      return {
        ...task,
        attempts: upsert(task.attempts, n, instance, at, { outcome: "conflicted", conflicts, finishedAt: at }),
      };
    }
    case "log": {
      const kind = dataString(data, "kind");
      const job = dataString(data, "job");
      if (kind === "command.queued" && job) {
        return { ...task, command: { job, command: dataString(data, "command") ?? "", since: at } };
      }
      if (kind === "command") return task.command?.job === job ? { ...task, command: null } : task;
      if (kind !== "verify") return task;
      return {
        ...task,
        lastVerify: {
          instance: dataString(data, "instance") ?? null,
          passed: dataBoolean(data, "passed") ?? false,
          exitCode: dataNumber(data, "exitCode") ?? null,
          timedOut: dataBoolean(data, "timedOut") ?? false,
          at,
        },
      };
    }
    default:
      return task;
  }
}

type AttemptPatch = Partial<Pick<AttemptTrace, "model" | "outcome" | "files" | "error" | "conflicts" | "finishedAt">>;

/** Creates or updates attempt `n`: fields are filled, never cleared, and the outcome never goes back. */
function upsert(attempts: readonly AttemptTrace[], n: number, instance: string, at: string, patch: AttemptPatch) {
  const existing = attempts.find((a) => a.n === n);
  const base: AttemptTrace = existing ?? {
    n,
    instance,
    model: null,
    outcome: "running",
    files: null,
    error: null,
    conflicts: [],
    startedAt: at,
    finishedAt: null,
  };
  const forward = patch.outcome !== undefined && rank(patch.outcome) >= rank(base.outcome);
  const next: AttemptTrace = {
    ...base,
    model: base.model ?? patch.model ?? null,
    outcome: forward ? (patch.outcome as string) : base.outcome,
    files: patch.files ?? base.files,
    error: patch.error ?? base.error,
    conflicts: patch.conflicts ?? base.conflicts,
    finishedAt: base.finishedAt ?? patch.finishedAt ?? null,
  };
  const others = attempts.filter((a) => a.n !== n);
  return [...others, next].sort((a, b) => a.n - b.n);
}
