import { readdirSync, readFileSync } from "node:fs";

/** The fields of `/proc/<pid>/stat` this package reads. */
export interface ProcStat {
  pid: number;
  /** The executable's name (at most 15 characters), e.g. `workerd`. */
  comm: string;
  /** `R`, `S`, `D`, `Z` (zombie: exited, not yet reaped), … */
  state: string;
  ppid: number;
  /** The process group. */
  pgrp: number;
  /** The controlling terminal (0: none, as for a daemon or a command a runner started). */
  tty: number;
  /** When the process started, in clock ticks since boot: with the pid, who the process is. */
  startTime: number;
}

/** The stat of `pid`, or undefined when there is no such process (or no `/proc`). */
export function readProcStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ESRCH") return undefined;
    throw error;
  }
  return parseProcStat(text);
}

/**
 * Parses one `/proc/<pid>/stat` line. The name sits in parentheses and may hold spaces or
 * parentheses itself, so the fields after it are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(" ");
  // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
  const pid = Number(text.slice(0, open).trim());
  const startTime = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isFinite(startTime)) return undefined;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    tty: Number(rest[4]),
    startTime,
  };
}

/** True where `/proc` describes processes (Linux). */
export function hasProcfs(): boolean {
  return readProcStat(process.pid) !== undefined;
}

/** Every process `/proc` lists now (those that end while it is read are left out). */
export function listProcesses(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return [];
    throw error;
  }
  const found: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat) found.push(stat);
  }
  return found;
}
