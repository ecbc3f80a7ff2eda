import type { StatePaths } from "./paths.js";
import { isAlive, signal, waitForExit } from "./process.js";
import { readStackFile, removeStackFile, type StackInfo } from "./stack-file.js";

export type StopOutcome =
  | { kind: "stopped"; info: StackInfo; forced: boolean }
  | { kind: "stale"; info: StackInfo }
  | { kind: "none" };

/**
 * Ends the stack named by stack.json: SIGTERM (it disposes Miniflare and removes stack.json),
 * then, if it has not exited in time, SIGKILL to it and to its process group (a detached stack
 * leads its own group, which holds workerd).
 */
export async function stopStack(paths: StatePaths, graceMs = 15_000): Promise<StopOutcome> {
  const info = await readStackFile(paths.stackFile);
  if (!info) return { kind: "none" };
  if (!isAlive(info.pid)) {
    await removeStackFile(paths.stackFile, info.pid);
    return { kind: "stale", info };
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
  return { kind: "stopped", info, forced };
}
