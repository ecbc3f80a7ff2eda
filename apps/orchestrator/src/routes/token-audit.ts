import { createDb, listRuns } from "@bernstein/db";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";

const UNFINISHED = ["planning", "running", "paused"] as const;

/**
 * A token change bears on every run it can still act on: it is linked into the audit chain of
 * each unfinished run (an ended run's chain is sealed and stays as it was).
 */
export async function auditTokenChange(env: Env, action: string, data: Record<string, unknown>): Promise<void> {
  const db = createDb(env.STATE_DB);
  const runs = (await Promise.all(UNFINISHED.map((status) => listRuns(db, { status, limit: 1_000 })))).flat();
  for (const run of runs) {
    await coordinatorOf(env, run.id).auditLink(run.id, "user", action, data);
  }
}
