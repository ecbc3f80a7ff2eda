import { z } from "zod";
import { RunView } from "./api.js";
import { ErrorJsonSchema, IsoTime } from "./common.js";
import { Task } from "./task.js";

/** One attempt of a task as the event stream (or `GET /v1/tasks/:id`) tells it. */
export const AttemptTrace = z.object({
  n: z.number().int().positive(),
  /** Workflow instance id `<run>-<task>-a<n>`. */
  instance: z.string(),
  model: z.string().nullable(),
  /** `running`, then `submitted`, `succeeded`, `failed`, `cancelled` or `conflicted`. */
  outcome: z.string(),
  /** Files the attempt's patch changes, once it has one. */
  files: z.number().int().nonnegative().nullable(),
  error: ErrorJsonSchema.nullable(),
  /** Paths that conflicted when the attempt was merged. */
  conflicts: z.array(z.string()),
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});
export type AttemptTrace = z.infer<typeof AttemptTrace>;

/** The latest verification of a task's attempt (a `log` event of kind `verify`). */
export const VerifyTrace = z.object({
  instance: z.string().nullable(),
  passed: z.boolean(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  at: IsoTime,
});
export type VerifyTrace = z.infer<typeof VerifyTrace>;

/** The command (`run_command`) a task's attempt waits for, from its `command.queued` event to its result. */
export const CommandTrace = z.object({
  job: z.string(),
  command: z.string(),
  since: IsoTime,
});
export type CommandTrace = z.infer<typeof CommandTrace>;

/** A task with what the events add to it: its attempts, timing and the model working on it. */
export const TaskState = Task.extend({
  attempts: z.array(AttemptTrace),
  /** Model of the current (or last) attempt. */
  model: z.string().nullable(),
  /** First claim of the task; null until it is claimed. */
  startedAt: IsoTime.nullable(),
  /** When the task reached a terminal status; null while it can still move. */
  finishedAt: IsoTime.nullable(),
  lastVerify: VerifyTrace.nullable(),
  /** The agent's command waiting for (or running on) a runner; null when none. */
  command: CommandTrace.nullable().default(null),
});
export type TaskState = z.infer<typeof TaskState>;

export const ACTIVITY_TONES = ["ok", "bad", "warn", "info", "quiet"] as const;
export const ActivityTone = z.enum(ACTIVITY_TONES);
export type ActivityTone = z.infer<typeof ActivityTone>;

/** One line of a run's activity feed: an event in words. `quiet` marks chatter (cost, turns). */
export const ActivityEntry = z.object({
  seq: z.number().int().positive(),
  at: IsoTime,
  type: z.string(),
  taskId: z.string().nullable(),
  text: z.string(),
  tone: ActivityTone,
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

/** A point of the run's plot: spend and merged tasks right after event `seq`. */
export const TimelinePoint = z.object({
  seq: z.number().int().positive(),
  at: IsoTime,
  spentUsd: z.number().nonnegative(),
  merged: z.number().int().nonnegative(),
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

/**
 * A run as its event stream leaves it: a RunView (same `id`, `status`, `tasks`, `seq`) whose
 * tasks carry their attempts, plus the recent activity (the last `ACTIVITY_LIMIT` events). Every view (monitor, plain table,
 * `--json`, `--watch`) is derived from this one value.
 */
export const RunState = RunView.extend({
  tasks: z.array(TaskState),
  /**
   * The last event read into the attempts, timing and activity. `seq` (the RunView's) is the last
   * event the snapshot fields reflect; replaying older events (`after=0`) fills in the history.
   */
  eventSeq: z.number().int().nonnegative(),
  activity: z.array(ActivityEntry),
  /** Spend and merged tasks over time, one point per `cost` and `merge.applied` event read. */
  timeline: z.array(TimelinePoint),
  /** An event named a task this state lacks: reload `GET /v1/runs/:id` and `rebaseRunState`. */
  stale: z.boolean(),
});
export type RunState = z.infer<typeof RunState>;
