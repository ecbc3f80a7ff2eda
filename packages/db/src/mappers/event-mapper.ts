import type { RunEvent } from "@bernstein/core";
import type { EventRow } from "../schema.js";

/** A core RunEvent as an `events` row. */
export function eventToRow(event: RunEvent): EventRow {
  return {
    runId: event.runId,
    seq: event.seq,
    at: event.at,
    type: event.type,
    taskId: event.taskId,
    data: event.data,
  };
}

/** An `events` row as a core RunEvent. */
export function eventFromRow(row: EventRow): RunEvent {
  return { runId: row.runId, seq: row.seq, at: row.at, type: row.type, taskId: row.taskId, data: row.data };
}
