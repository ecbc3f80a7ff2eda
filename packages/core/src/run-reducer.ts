import { roundUsd } from "./pricing.js";
import { describeRunEvent } from "./run-activity.js";
import { dataError, dataNumber, dataString } from "./run-event-data.js";
import { isTerminalRunStatus, RunStatus } from "./run-status.js";
import { extendTimeline } from "./run-timeline.js";
import { traceTask } from "./run-traces.js";
import type { RunView } from "./schemas/api.js";
import type { RunEvent } from "./schemas/run-event.js";
import type { RunState, TaskState } from "./schemas/run-state.js";
import type { Task } from "./schemas/task.js";
import { isTerminalTaskStatus, TaskStatus } from "./task-status.js";
import { RunVerification } from "./verification/verdict.js";

/** How many recent events the activity feed keeps. */
export const ACTIVITY_LIMIT = 50;

/**
 * The reduced state of a run from its snapshot (`GET /v1/runs/:id`). Follow it with the run's
 * events: `after=0` also fills in attempts and activity from the start, `after=view.seq` only
 * moves it forward.
 */
export function initRunState(view: RunView): RunState {
  const tasks = [...view.tasks].sort((a, b) => a.order - b.order).map(taskFromView);
  return { ...view, tasks, eventSeq: 0, activity: [], timeline: [], stale: false };
}

/**
 * Applies one event. Pure: returns a new state (or the same one when the event changes
 * nothing). Snapshot fields move only for events after `seq`; attempts, timing, activity and
 * the timeline for events after `eventSeq`. An event about a task the state lacks, or a gap in `seq`,
 * returns the state unchanged but `stale`: reload the view, `rebaseRunState`, apply it again.
 */
export function applyRunEvent(state: RunState, event: RunEvent): RunState {
  if (event.runId !== state.id) return state;
  const fresh = event.seq > state.seq;
  const unread = event.seq > state.eventSeq;
  if (!fresh && !unread) return state;
  const known = event.taskId === null || state.tasks.some((t) => t.id === event.taskId);
  if (!known || (fresh && event.seq !== state.seq + 1)) return state.stale ? state : { ...state, stale: true };
  let next = state;
  if (fresh) next = { ...applySnapshotChange(next, event), seq: event.seq };
  if (unread) {
    const tasks = event.taskId
      ? next.tasks.map((t) => (t.id === event.taskId ? traceTask(t, event, next.model) : t))
      : next.tasks;
    next = {
      ...next,
      tasks,
      eventSeq: event.seq,
      activity: withActivity(next, event),
      timeline: extendTimeline(next.timeline, event),
    };
  }
  return next;
}

/** Applies events in order (see `applyRunEvent`). */
export function applyRunEvents(state: RunState, events: Iterable<RunEvent>): RunState {
  let next = state;
  for (const event of events) next = applyRunEvent(next, event);
  return next;
}

/**
 * Takes a newer snapshot of the same run: its fields replace the state's, the attempts, timing,
 * activity and timeline read from events are kept. An older snapshot than the state's changes nothing.
 */
export function rebaseRunState(state: RunState, view: RunView): RunState {
  if (view.id !== state.id || view.seq < state.seq) return state;
  const traces = new Map(state.tasks.map((t) => [t.id, t]));
  const tasks = initRunState(view).tasks.map((task) => {
    const old = traces.get(task.id);
    if (!old) return task;
    const finishedAt = isTerminalTaskStatus(task.status) ? (old.finishedAt ?? task.finishedAt) : null;
    return {
      ...task,
      attempts: old.attempts,
      model: old.model ?? task.model,
      startedAt: old.startedAt ?? task.startedAt,
      finishedAt,
      lastVerify: old.lastVerify,
      command: isTerminalTaskStatus(task.status) ? null : old.command,
    };
  });
  return { ...view, tasks, eventSeq: state.eventSeq, activity: state.activity, timeline: state.timeline, stale: false };
}

function taskFromView(task: Task): TaskState {
  return {
    ...task,
    attempts: [],
    model: null,
    startedAt: null,
    finishedAt: isTerminalTaskStatus(task.status) ? task.updatedAt : null,
    lastVerify: null,
    command: null,
  };
}

function withActivity(state: RunState, event: RunEvent): RunState["activity"] {
  const titles = new Map(state.tasks.map((t) => [t.id, t.title]));
  const { text, tone } = describeRunEvent(event, (id) => titles.get(id));
  const entry = { seq: event.seq, at: event.at, type: event.type, taskId: event.taskId, text, tone };
  return [...state.activity, entry].slice(-ACTIVITY_LIMIT);
}

/** The snapshot fields (those of RunView) an event changes. */
function applySnapshotChange(state: RunState, event: RunEvent): RunState {
  const { data, at } = event;
  const task = (patch: (t: TaskState) => TaskState): RunState => ({
    ...state,
    tasks: state.tasks.map((t) => (t.id === event.taskId ? patch(t) : t)),
  });
  switch (event.type) {
    case "run.created":
      return {
        ...state,
        goal: dataString(data, "goal") ?? state.goal,
        model: dataString(data, "model") ?? state.model,
        maxAgents: dataNumber(data, "maxAgents") ?? state.maxAgents,
      };
    case "run.status": {
      const to = RunStatus.safeParse(data.to ?? data.status);
      if (!to.success) return state;
      const error = dataError(data) ?? (to.data === "running" ? null : state.error);
      const finishedAt = isTerminalRunStatus(to.data) ? at : null;
      const verification = RunVerification.safeParse(data.verification);
      return {
        ...state,
        status: to.data,
        error,
        finishedAt,
        updatedAt: at,
        ...(verification.success ? { verification: verification.data } : {}),
      };
    }
    case "plan.accepted": {
      const count = dataNumber(data, "tasks");
      return count !== undefined && count > state.tasks.length ? { ...state, stale: true } : state;
    }
    case "plan.rejected":
      return { ...state, error: dataError(data) ?? state.error };
    case "task.status": {
      const to = TaskStatus.safeParse(data.to ?? data.status);
      if (!to.success || !event.taskId) return state;
      return task((t) => ({
        ...t,
        status: to.data,
        attempt: dataNumber(data, "attempt") ?? t.attempt,
        error: dataError(data) ?? t.error,
        summary: dataString(data, "summary") ?? t.summary,
        updatedAt: at,
        finishedAt: isTerminalTaskStatus(to.data) ? (t.finishedAt ?? at) : null,
      }));
    }
    case "merge.applied": {
      const seq = dataNumber(data, "seq");
      const manifest = dataString(data, "manifest");
      if (seq === undefined || manifest === undefined) return state;
      const merged = event.taskId ? task((t) => ({ ...t, mergedSeq: seq })) : state;
      return { ...merged, integrationSeq: seq, integrationManifest: manifest, updatedAt: at };
    }
    case "cost": {
      const usd = dataNumber(data, "usd") ?? 0;
      const spentUsd = dataNumber(data, "runSpentUsd") ?? roundUsd(state.spentUsd + usd);
      const charged = event.taskId ? task((t) => ({ ...t, costUsd: roundUsd(t.costUsd + usd) })) : state;
      return { ...charged, spentUsd, updatedAt: at };
    }
    case "budget.warning": {
      const budget = dataNumber(data, "budgetUsd");
      return {
        ...state,
        spentUsd: dataNumber(data, "spentUsd") ?? state.spentUsd,
        budgetUsd: budget !== undefined && budget > 0 ? budget : state.budgetUsd,
      };
    }
    default:
      return state;
  }
}
