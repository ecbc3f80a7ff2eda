import type { CostEvent } from "@bernstein/core";
import type { CostEventRow, costEvents } from "../schema.js";

type CostEventInsert = typeof costEvents.$inferInsert;

/** A core CostEvent as a `cost_events` row (`id` is assigned by D1). */
export function costEventToRow(event: CostEvent): Omit<CostEventInsert, "id"> {
  return {
    runId: event.runId,
    taskId: event.taskId,
    attemptId: event.attemptId,
    step: event.step,
    model: event.model,
    tokensIn: event.tokensIn,
    tokensOut: event.tokensOut,
    cacheReadTokens: event.cacheReadTokens,
    cacheWriteTokens: event.cacheWriteTokens,
    costUsd: event.costUsd,
    at: event.at,
  };
}

/** A `cost_events` row as a core CostEvent. */
export function costEventFromRow(row: CostEventRow): CostEvent {
  return {
    runId: row.runId,
    taskId: row.taskId,
    attemptId: row.attemptId,
    step: row.step,
    model: row.model,
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUsd: row.costUsd,
    at: row.at,
  };
}
