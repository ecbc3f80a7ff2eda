import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** CPU time (user + system, ms) of this Node process, of its workerd children and of the whole machine, at one moment. */
export interface CpuSample {
  nodeMs: number;
  /** null where /proc is not there (not Linux): the figure is then left out. */
  workerdMs: number | null;
  /** Busy CPU time of every core together (/proc/stat); null where /proc is not there. */
  machineMs: number | null;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticksPerSecond;
}

/**
 * Samples CPU time. Miniflare runs workerd as a child of this process, and workerd runs every
 * isolate on one thread, so its CPU time is what the Workers and Workflows cost.
 */
export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { nodeMs: (usage.user + usage.system) / 1000, workerdMs: workerdCpuMs(), machineMs: machineCpuMs() };
}

/**
 * Share of the machine's CPU capacity that other processes (neither this Node process nor its
 * workerd) used from `before` to `after`: the other jobs of a shared machine, which slow a run.
 */
export function othersCpuShare(before: CpuSample, after: CpuSample, wallMs: number, cpus: number): number | null {
  if (before.machineMs === null || after.machineMs === null || before.workerdMs === null || after.workerdMs === null) {
    return null;
  }
  const ours = after.nodeMs - before.nodeMs + (after.workerdMs - before.workerdMs);
  const others = after.machineMs - before.machineMs - ours;
  return Math.max(0, others) / (wallMs * cpus);
}

/** Milliseconds of CPU from `before` to `after`, per task. */
export function cpuPerTask(
  before: CpuSample,
  after: CpuSample,
  tasks: number,
): { nodeMs: number; workerdMs: number | null } {
  const workerd =
    before.workerdMs === null || after.workerdMs === null ? null : (after.workerdMs - before.workerdMs) / tasks;
  return { nodeMs: (after.nodeMs - before.nodeMs) / tasks, workerdMs: workerd };
}

function machineCpuMs(): number | null {
  let stat: string;
  try {
    stat = readFileSync("/proc/stat", "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  // "cpu  user nice system idle iowait irq softirq steal ...": busy = all but idle and iowait.
  const fields = (stat.split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
  return (busy * 1000) / clockTicks();
}

/** This process's workerd children: pid, and the fields of /proc/<pid>/stat after `(comm)`; null where /proc is not there. */
function workerdChildren(): { pid: string; fields: string[] }[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const children: { pid: string; fields: string[] }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat === null) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid ... utime(14) stime(15) ..."; comm may hold spaces.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (comm === "workerd" && Number(fields[1]) === process.pid) children.push({ pid: entry, fields });
  }
  return children;
}

function workerdCpuMs(): number | null {
  const children = workerdChildren();
  if (children === null) return null;
  const ticks = children.reduce((sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]), 0);
  return (ticks * 1000) / clockTicks();
}

/** Resident memory (MB) of this process's workerd children, or null where /proc is not there. */
export function workerdRssMb(): number | null {
  const children = workerdChildren();
  if (children === null) return null;
  let kb = 0;
  for (const { pid } of children) {
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    kb += Number(rss?.[1] ?? 0);
  }
  return kb / 1024;
}

/** Samples workerd's resident memory every `everyMs` until stopped; returns the peak (MB). */
export function watchPeakRss(everyMs = 250): { stop(): number | null } {
  let peak = workerdRssMb();
  const timer = setInterval(() => {
    const now = workerdRssMb();
    if (now !== null) peak = Math.max(peak ?? 0, now);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

function readStat(pid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    // A process that ended between listing and reading is simply not ours any more.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH") {
      return null;
    }
    throw error;
  }
}
