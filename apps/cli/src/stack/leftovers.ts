import { BernsteinError } from "@bernstein/core";
import {
  identityOf,
  isRunning,
  type LedgerEntry,
  lifeline,
  type ProcessIdentity,
  readLedger,
  stopLeftovers,
} from "@bernstein/processes";
import type { StatePaths } from "./paths.js";
import type { StackInfo } from "./stack-file.js";

/**
 * The process of a stack.json, by pid and start time: a pid that the system gave to another
 * process since is not the stack (a file without a start time, from an older version, goes by
 * the pid alone).
 */
export function stackOwner(info: Pick<StackInfo, "pid" | "startTime">): ProcessIdentity {
  return { pid: info.pid, startTime: info.startTime ?? null };
}

/** True while the process that wrote this stack.json runs. */
export function stackIsRunning(info: Pick<StackInfo, "pid" | "startTime">): boolean {
  return isRunning(stackOwner(info));
}

/** This process, as stack.json and runtime.json name it. */
export function thisProcess(): ProcessIdentity {
  return identityOf(process.pid) ?? { pid: process.pid, startTime: null };
}

/**
 * When the stack that owns `<state-dir>/runtime.json` is dead (killed with `kill -9`, say),
 * stops what it left running (its workerd, a runner command) and removes the file. Returns
 * what it stopped; nothing when there is no such file or its owner still runs.
 */
export async function clearLeftovers(paths: StatePaths): Promise<LedgerEntry[]> {
  const outcome = await stopLeftovers(paths.runtimeFile);
  return outcome.kind === "stopped" ? outcome.stopped : [];
}

/**
 * Makes this process the owner of the state dir's processes: first stops what a dead owner
 * left, then refuses when another owner still runs (a stack is starting or running there),
 * then records this process and everything its lifeline watches (workerd, the runner's
 * commands) in runtime.json, so that the next start or `dev stop` can stop them should it die.
 */
export async function holdRuntime(paths: StatePaths): Promise<void> {
  await clearLeftovers(paths);
  const ledger = readLedger(paths.runtimeFile);
  if (ledger && isRunning(ledger.owner)) {
    throw new BernsteinError(
      "conflict",
      `another bernstein (pid ${ledger.owner.pid}) runs a stack on the state dir ${paths.dir}`,
      { details: { fix: "Use that stack, or stop it first with `bernstein dev stop`." } },
    );
  }
  lifeline().useLedger(paths.runtimeFile);
}

/** After a clean stop: removes runtime.json and ends the lifeline's guard. */
export async function releaseRuntime(): Promise<void> {
  lifeline().useLedger(undefined);
  await lifeline().close();
}

/** What was stopped, for a sentence: `workerd (pid 123), command (pid 456)`. */
export function describeLeftovers(entries: readonly LedgerEntry[]): string {
  return entries.map((entry) => `${entry.role} (pid ${entry.pid})`).join(", ");
}
