import { setTimeout as sleep } from "node:timers/promises";
import { listProcesses, readProcStat } from "./proc-stat.js";

/**
 * Who a process is: its pid and its start time. A pid alone can be reused by an unrelated
 * process after the first one exits; the pair cannot. `startTime` is null where there is no
 * `/proc` (the pid alone is then all there is to go by).
 */
export interface ProcessIdentity {
  pid: number;
  startTime: number | null;
}

/** The identity of a running process, or undefined when it is gone. */
export function identityOf(pid: number): ProcessIdentity | undefined {
  const stat = readProcStat(pid);
  if (stat) return stat.state === "Z" ? undefined : { pid, startTime: stat.startTime };
  return isPidAlive(pid) && readProcStat(process.pid) === undefined ? { pid, startTime: null } : undefined;
}

/** True while the process of this identity runs (an exited zombie, or a reused pid, is not it). */
export function isRunning(id: ProcessIdentity): boolean {
  const now = identityOf(id.pid);
  if (!now) return false;
  return id.startTime === null || now.startTime === null || now.startTime === id.startTime;
}

/** Signals the process if it is still this identity; false when it was gone. */
export function signalProcess(id: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isRunning(id)) return false;
  return sendSignal(id.pid, signal);
}

/**
 * The members of the process group `leader` leads or led: processes of that group that started
 * no earlier than the leader (the leader itself may have exited; the group lives on while any
 * member does, and its id is not reused meanwhile).
 */
export function groupMembers(leader: ProcessIdentity): ProcessIdentity[] {
  return listProcesses()
    .filter(
      (p) => p.pgrp === leader.pid && p.state !== "Z" && (leader.startTime === null || p.startTime >= leader.startTime),
    )
    .map((p) => ({ pid: p.pid, startTime: p.startTime }));
}

export interface StopOptions {
  /** Time between SIGTERM and SIGKILL (default 1.5 s). */
  graceMs?: number;
  /** The whole process group the process leads (or led). */
  group?: boolean;
}

/** How a stop went: nothing was running, it ended on SIGTERM, or it took SIGKILL. */
export type StopResult = "gone" | "terminated" | "killed";

/**
 * Stops a process (and with `group`, every process of its group): SIGTERM, then SIGKILL to what
 * is left after the grace period, and waits until they are gone.
 */
export async function stopProcess(id: ProcessIdentity, options: StopOptions = {}): Promise<StopResult> {
  const targets = () => (options.group ? groupMembers(id) : isRunning(id) ? [id] : []);
  const first = targets();
  if (first.length === 0) return "gone";
  for (const target of first) signalProcess(target, "SIGTERM");
  const graceMs = options.graceMs ?? 1_500;
  if (await waitUntilGone(targets, graceMs)) return "terminated";
  for (const target of targets()) signalProcess(target, "SIGKILL");
  if (await waitUntilGone(targets, 5_000)) return "killed";
  const left = targets()
    .map((t) => t.pid)
    .join(", ");
  throw new Error(`processes ${left} did not end after SIGKILL`);
}

async function waitUntilGone(targets: () => ProcessIdentity[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (targets().length > 0) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ESRCH") return false;
    throw error;
  }
}
