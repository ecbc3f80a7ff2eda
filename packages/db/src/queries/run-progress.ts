import { inArray, sql } from "drizzle-orm";
import type { Db } from "../create-db.js";
import { chunk } from "../param-budget.js";
import { tasks } from "../schema.js";

/** How far a run is: its tasks, those merged, those that ended without merging. */
export interface RunProgress {
  total: number;
  merged: number;
  unmerged: number;
}

/** The progress of each of these runs, counted in one grouped query per 100 runs. */
export async function getRunProgress(db: Db, runIds: readonly string[]): Promise<Map<string, RunProgress>> {
  const progress = new Map<string, RunProgress>(runIds.map((id) => [id, { total: 0, merged: 0, unmerged: 0 }]));
  for (const ids of chunk(runIds, 100)) {
    const rows = await db
      .select({
        runId: tasks.runId,
        total: sql<number>`count(*)`,
        merged: sql<number>`sum(${tasks.status} = 'merged')`,
        unmerged: sql<number>`sum(${tasks.status} in ('failed', 'blocked', 'cancelled'))`,
      })
      .from(tasks)
      .where(inArray(tasks.runId, ids))
      .groupBy(tasks.runId);
    for (const row of rows) {
      progress.set(row.runId, { total: row.total, merged: Number(row.merged), unmerged: Number(row.unmerged) });
    }
  }
  return progress;
}
