import type { Run, Task } from "@bernstein/core";
import { asc, eq, max } from "drizzle-orm";
import type { Db } from "../create-db.js";
import { runFromRow } from "../mappers/run-mapper.js";
import { groupDeps, taskFromRow } from "../mappers/task-mapper.js";
import { events, runs, tasks } from "../schema.js";
import { depsQuery } from "./tasks.js";

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
  const [runRows, taskRows, deps, seqRows] = await db.batch([
    db.select().from(runs).where(eq(runs.id, runId)),
    db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.order), asc(tasks.id)),
    depsQuery(db, eq(tasks.runId, runId)),
    db
      .select({ seq: max(events.seq) })
      .from(events)
      .where(eq(events.runId, runId)),
  ]);
  const runRow = runRows[0];
  if (!runRow) return null;
  const byTask = groupDeps(deps);
  return {
    run: runFromRow(runRow),
    tasks: taskRows.map((row) => taskFromRow(row, byTask.get(row.id) ?? [])),
    seq: seqRows[0]?.seq ?? 0,
  };
}
