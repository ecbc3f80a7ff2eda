import { BernsteinError, type RunView } from "@bernstein/core";
import { type Db, getRun, getTasksOfRun } from "@bernstein/db";

/** A run with its tasks, read from D1 (which the coordinator writes through to). */
export async function loadRunView(db: Db, runId: string): Promise<RunView> {
  const [run, tasks] = await Promise.all([getRun(db, runId), getTasksOfRun(db, runId)]);
  if (!run) throw new BernsteinError("not_found", `no run ${runId}`);
  return { ...run, tasks };
}
