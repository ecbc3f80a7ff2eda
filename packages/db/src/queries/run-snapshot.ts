import type { Run, Task } from "@bernstein/core";
import { asc, eq, max } from "drizzle-orm";
import type { Db } from "../create-db.js";
import { runOfRow } from "../rows.js";
import { events, runs, tasks } from "../schema.js";

/** A run, its tasks and the seq of the last event they reflect, read as one consistent snapshot. */
export interface RunSnapshot {
  run: Run;
  tasks: Task[];
  seq: number;
}

/**
 * Reads the run, its tasks and its last event seq in one batch (one transaction), so the
 * tasks reflect exactly the events up to `seq`: a client can apply the events after it.
 */
export async function getRunSnapshot(db: Db, runId: string): Promise<RunSnapshot | null> {
  const [runRows, taskRows, seqRows] = await db.batch([
    db.select().from(runs).where(eq(runs.id, runId)),
    db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.order), asc(tasks.id)),
    db
      .select({ seq: max(events.seq) })
      .from(events)
      .where(eq(events.runId, runId)),
  ]);
  const runRow = runRows[0];
  if (!runRow) return null;
  return {
    run: runOfRow(runRow),
    tasks: taskRows,
    seq: seqRows[0]?.seq ?? 0,
  };
}
