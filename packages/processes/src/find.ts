import { readlinkSync } from "node:fs";
import { sep } from "node:path";
import type { ProcessIdentity } from "./identity.js";
import { listProcesses, type ProcStat } from "./proc-stat.js";

/** The living children of `ppid` (with `comm`, only those of that executable name, e.g. `workerd`). */
export function childrenOf(ppid: number, comm?: string): ProcessIdentity[] {
  return listProcesses()
    .filter((p) => p.ppid === ppid && p.state !== "Z" && (comm === undefined || p.comm === comm))
    .map(identity);
}

/**
 * The living processes without a terminal whose working directory is `dir` or below it: what a
 * command started there (and left running) is, found by `/proc/<pid>/cwd`. Processes of other
 * users (unreadable) and processes with a terminal (a person's shell) are left out.
 */
export function processesIn(dir: string): ProcessIdentity[] {
  const root = dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  return listProcesses()
    .filter((p) => p.state !== "Z" && p.tty === 0)
    .filter((p) => {
      const cwd = cwdOf(p.pid);
      return cwd !== undefined && (cwd === root || cwd.startsWith(`${root}${sep}`));
    })
    .map(identity);
}

/** The working directory of `pid`, or undefined when it is gone or not readable. */
export function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // ENOENT (gone), EACCES (another user's): not a process this package may touch.
    return undefined;
  }
}

function identity(p: ProcStat): ProcessIdentity {
  return { pid: p.pid, startTime: p.startTime };
}
