import type { RunEvent } from "@bernstein/core";
import { and, asc, eq, gt, max } from "drizzle-orm";
import { runInGroups, type Stmt } from "../batch.js";
import type { Db } from "../create-db.js";
import { chunkRows } from "../param-budget.js";
import { events } from "../schema.js";

/** The INSERTs of run events, chunked to D1's parameter limit, for a batch. */
export function insertEventsStmts(db: Db, list: readonly RunEvent[]): Stmt[] {
  return chunkRows(events, list).map((rows) => db.insert(events).values(rows));
}

/** Stores run events; a `(runId, seq)` already stored is a `conflict` (the log is append-only). */
export async function insertEvents(db: Db, list: readonly RunEvent[]): Promise<void> {
  await runInGroups(db, insertEventsStmts(db, list));
}

/** A run's events with `seq > afterSeq`, ascending, at most `limit` (the `?after=seq` replay). */
export async function getEventsAfter(db: Db, runId: string, afterSeq: number, limit = 1_000): Promise<RunEvent[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.runId, runId), gt(events.seq, afterSeq)))
    .orderBy(asc(events.seq))
    .limit(limit);
}

/** The highest stored `seq` of a run, 0 when it has none. */
export async function lastEventSeq(db: Db, runId: string): Promise<number> {
  const row = await db
    .select({ seq: max(events.seq) })
    .from(events)
    .where(eq(events.runId, runId))
    .get();
  return row?.seq ?? 0;
}
