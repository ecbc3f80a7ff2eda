import type { LedgerEntry } from "@bernstein/processes";
import { clearLeftovers, stackIsRunning } from "./leftovers.js";
import type { StatePaths } from "./paths.js";
import { signal, waitForExit } from "./process.js";
import { readStackFile, removeStackFile, type StackInfo } from "./stack-file.js";

/**
 * How `dev stop` went; `leftovers` are the processes a dead stack left running (its workerd, a
 * runner command), found in runtime.json and stopped.
 */
export type StopOutcome =
  | { kind: "stopped"; info: StackInfo; forced: boolean; leftovers: LedgerEntry[] }
  | { kind: "stale"; info: StackInfo; leftovers: LedgerEntry[] }
  | { kind: "none"; leftovers: LedgerEntry[] };

/**
 * Ends the stack named by stack.json: SIGTERM (it disposes Miniflare and removes stack.json),
 * then, if it has not exited in time, SIGKILL to it and to its process group (a detached stack
 * leads its own group, which holds workerd). Whatever way the stack ended (even before this
 * call, by `kill -9`), the processes runtime.json lists are stopped before it returns.
 */
export async function stopStack(paths: StatePaths, graceMs = 15_000): Promise<StopOutcome> {
  const info = await readStackFile(paths.stackFile);
  if (!info) return { kind: "none", leftovers: await clearLeftovers(paths) };
  if (!stackIsRunning(info)) {
    await removeStackFile(paths.stackFile, info.pid);
    return { kind: "stale", info, leftovers: await clearLeftovers(paths) };
  }
  signal(info.pid, "SIGTERM");
  let forced = false;
  if (!(await waitForExit(info.pid, graceMs))) {
    forced = true;
    signal(-info.pid, "SIGKILL");
    signal(info.pid, "SIGKILL");
    await waitForExit(info.pid, 5_000);
  }
  await removeStackFile(paths.stackFile, info.pid);
  return { kind: "stopped", info, forced, leftovers: await clearLeftovers(paths) };
}
