import { BernsteinError, type RunView } from "@bernstein/core";
import { type Db, getRunSnapshot } from "@bernstein/db";

/** A run with its tasks and the seq of the last event they reflect, read as one snapshot. */
export async function loadRunView(db: Db, runId: string): Promise<RunView> {
  const snapshot = await getRunSnapshot(db, runId);
  if (!snapshot) throw new BernsteinError("not_found", `no run ${runId}`);
  return { ...snapshot.run, tasks: snapshot.tasks, seq: snapshot.seq };
}
