import { randomBytes } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { isRunning, type ProcessIdentity, processesIn, stopProcess } from "@bernstein/processes";
import { lockOwner, tryLock } from "./workspace-lock.js";

// The prefix of a workspace being removed (`<root>/<key>/.removing-<index>-<random>`).
const TRASH = ".removing-";

/** A workspace a dead runner held, removed by `removeDeadWorkspaces`. */
export interface RemovedWorkspace {
  /** `<root>/<key>/<index>`. */
  dir: string;
  /** The runner process that held it. */
  owner: ProcessIdentity;
  /** Processes that were still running in it (its guard had not stopped them) and were stopped. */
  stopped: ProcessIdentity[];
}

/**
 * Removes the workspaces of `root` whose lock names a process that is gone (a runner killed
 * mid-job): the job's tree is in an unknown state (a setup or a command cut off midway), so the
 * next job there starts from a new workspace rather than from it. Whatever still runs in such a
 * workspace is stopped first. Workspaces released cleanly (no lock) stay warm, and locks of
 * living processes are left alone. What an earlier sweep left half removed goes too. A runner
 * calls this at start.
 */
export async function removeDeadWorkspaces(root: string): Promise<RemovedWorkspace[]> {
  const removed: RemovedWorkspace[] = [];
  for (const key of await subdirs(root)) {
    for (const index of await subdirs(join(root, key))) {
      // What a sweep killed midway (below) left half removed: nothing uses it any more.
      if (index.startsWith(TRASH)) await rm(join(root, key, index), { recursive: true, force: true });
      if (!/^\d+$/.test(index)) continue;
      const dir = join(root, key, index);
      const lock = join(dir, "lock");
      const owner = await lockOwner(lock);
      if (!owner || isRunning(owner)) continue;
      // Held by this process from here on, so no other runner takes it while it goes.
      if (!(await tryLock(lock))) continue;
      const left = processesIn(dir);
      await Promise.all(left.map((id) => stopProcess(id, { graceMs: 1_500 })));
      // Out of the way in one step (another runner may create `<index>` anew), then removed.
      const trash = join(root, key, `${TRASH}${index}-${randomBytes(4).toString("hex")}`);
      await rename(dir, trash);
      await rm(trash, { recursive: true, force: true });
      removed.push({ dir, owner, stopped: left });
    }
  }
  return removed;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return [];
    throw error;
  }
}
