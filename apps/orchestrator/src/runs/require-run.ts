import { BernsteinError, type Run } from "@bernstein/core";
import { type Db, getRun } from "@bernstein/db";

/**
 * A run as D1, the read model across runs, lists it (a run is there once its create returned);
 * `not_found` otherwise. Views of one run come from its coordinator (`coordinatorOf`).
 */
export async function requireRun(db: Db, runId: string): Promise<Run> {
  const run = await getRun(db, runId);
  if (!run) throw new BernsteinError("not_found", `no run ${runId}`);
  return run;
}
