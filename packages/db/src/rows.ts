import { type CostEvent, defaultCommandPolicy, type Run } from "@bernstein/core";
import { RowSql } from "./row-sql.js";
import {
  type AttemptRow,
  type AuditEventRow,
  attempts,
  auditEvents,
  costEvents,
  type EventRow,
  events,
  type JobRow,
  jobs,
  type RunRow,
  runs,
  type TaskRow,
  tasks,
} from "./schema.js";

/** The run's tables as prepared SQL (see `RowSql`), for the coordinator's own SQLite. */
export const ROWS = {
  runs: new RowSql<RunRow>(runs),
  tasks: new RowSql<TaskRow>(tasks),
  attempts: new RowSql<AttemptRow>(attempts),
  jobs: new RowSql<JobRow>(jobs),
  events: new RowSql<EventRow>(events),
  auditEvents: new RowSql<AuditEventRow>(auditEvents),
  // Cost rows are numbered by each database itself; a call is known by its unique (run, attempt, step).
  costEvents: new RowSql<CostEvent>(costEvents, { omit: ["id"] }),
} as const;

/** The same tables as the coordinator writes them into D1, the read model. */
export const READ_MODEL_ROWS = {
  ...ROWS,
  // Indexed columns a row never changes (what it belongs to, its place, when it was made):
  // an upsert leaves them, so D1 rewrites (and bills) only the indexes on what does change.
  runs: new RowSql<RunRow>(runs, { fixed: ["idempotencyKey", "createdAt"] }),
  tasks: new RowSql<TaskRow>(tasks, { fixed: ["runId", "planId", "order"] }),
  attempts: new RowSql<AttemptRow>(attempts, { fixed: ["runId", "taskId", "n"] }),
  // Runners own a job while they run it (claim, lease): only the coordinator's verdict overwrites it.
  jobs: new RowSql<JobRow>(jobs, {
    update: ["status", "exitCode", "timedOut", "durationMs", "tail", "updatedAt"],
    updateWhere: "excluded.status IN ('passed', 'failed', 'cancelled')",
  }),
} as const;

/**
 * A run row without its idempotency key (the key stays in the table). Runs made before
 * `run_command` existed have no command policy (the column is nullable): they get the defaults.
 */
export function runOfRow({ idempotencyKey: _key, commands, ...run }: RunRow): Run {
  return { ...run, commands: commands ?? defaultCommandPolicy() };
}
