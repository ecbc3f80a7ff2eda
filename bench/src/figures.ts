import { cpus } from "node:os";
import { BernsteinError, type RunEvent } from "@bernstein/core";
import type { BernsteinRun } from "./bernstein-run.js";
import type { FloorRun } from "./floor-run.js";
import { mean } from "./percentile.js";
import { type CpuSample, cpuPerTask, othersCpuShare } from "./process-cpu.js";

/** The figures of one run of one side (Bernstein or the floor), computed the same way for both. */
export interface RunFigures {
  /** Per task, in claim order: its claim -> its first step running (`load` reaching the coordinator), ms. */
  dispatchMs: number[];
  /** First claim -> the run completed, on the coordinator's clock, ms. */
  orchestrationWallMs: number;
  /** Slot-milliseconds per task: orchestrationWallMs × maxAgents / tasks. */
  perTaskMs: number;
  /** Mean of claim -> the merge that frees its slot (on the coordinator's clock), per task, ms. */
  slotBusyMs: number;
  /** Node clock: the request that starts the run -> its completion seen by Node, ms. */
  endToEndMs: number;
  /** tasks / endToEndMs. */
  tasksPerSecond: number;
  /** CPU per task over the run: workerd (every Worker, DO and Workflow) and this Node process. */
  workerdCpuMsPerTask: number | null;
  nodeCpuMsPerTask: number;
  /** Share (%) of the machine's CPU that other processes used meanwhile: how disturbed the run was. */
  othersCpuPct: number | null;
}

interface TaskTimes {
  claimedAt: number;
  startedAt: number;
  finishedAt: number;
}

function summarize(
  tasks: readonly TaskTimes[],
  firstClaimAt: number,
  completedAt: number,
  node: { postedAt: number; completedAt: number },
  cpu: { before: CpuSample; after: CpuSample },
  maxAgents: number,
): RunFigures {
  const orchestrationWallMs = completedAt - firstClaimAt;
  const endToEndMs = node.completedAt - node.postedAt;
  const perTask = cpuPerTask(cpu.before, cpu.after, tasks.length);
  const others = othersCpuShare(cpu.before, cpu.after, endToEndMs, cpus().length);
  return {
    dispatchMs: tasks.map((t) => t.startedAt - t.claimedAt),
    orchestrationWallMs,
    perTaskMs: (orchestrationWallMs * maxAgents) / tasks.length,
    slotBusyMs: mean(tasks.map((t) => t.finishedAt - t.claimedAt)),
    endToEndMs,
    tasksPerSecond: tasks.length / (endToEndMs / 1000),
    workerdCpuMsPerTask: perTask.workerdMs,
    nodeCpuMsPerTask: perTask.nodeMs,
    othersCpuPct: others === null ? null : others * 100,
  };
}

/**
 * Bernstein's figures from its event log. Each event's `at` is the coordinator's clock when
 * the transaction that emitted it began: the claim (`task.status` -> `claimed`, keyed by
 * `data.instance`), `attempt.started` (the `load` step's call), `attempt.finished` (the
 * `submit` step's call, which merges the attempt and frees its slot; the last of them when
 * there are several) and `run.status` -> `completed`.
 */
export function bernsteinFigures(run: BernsteinRun, tasks: number, maxAgents: number): RunFigures {
  const { events } = run;
  const byInstance = new Map<string, Partial<TaskTimes>>();
  const mark = (event: RunEvent, field: keyof TaskTimes) => {
    const instance = String(event.data.instance);
    byInstance.set(instance, { ...byInstance.get(instance), [field]: Date.parse(event.at) });
  };
  for (const event of events) {
    if (event.type === "task.status" && event.data.to === "claimed") mark(event, "claimedAt");
    if (event.type === "attempt.started") mark(event, "startedAt");
    if (event.type === "attempt.finished") mark(event, "finishedAt");
  }
  const times = [...byInstance.values()].filter(
    (t): t is TaskTimes => t.claimedAt !== undefined && t.startedAt !== undefined && t.finishedAt !== undefined,
  );
  const completed = events.find((e) => e.type === "run.status" && e.data.to === "completed");
  if (times.length !== tasks || byInstance.size !== tasks || completed === undefined) {
    throw new BernsteinError("internal", `the event log has ${times.length} complete attempts of ${tasks} tasks`, {
      details: { attempts: byInstance.size, completed: completed !== undefined },
    });
  }
  const firstClaimAt = Math.min(...times.map((t) => t.claimedAt));
  return summarize(times, firstClaimAt, Date.parse(completed.at), run, run.cpu, maxAgents);
}

/** The floor's figures from its coordinator's timestamps, taken at the same points. */
export function floorFigures(run: FloorRun, tasks: number, maxAgents: number): RunFigures {
  const { report } = run;
  if (report.tasks.length !== tasks) {
    throw new BernsteinError("internal", `the floor reported ${report.tasks.length} of ${tasks} tasks`);
  }
  return summarize(report.tasks, report.firstClaimAt, report.completedAt, run, run.cpu, maxAgents);
}

/** Where the floor's dispatch time goes, per task (ms): the coordinator's claim to its first step. */
export interface DispatchBreakdown {
  /** Claim -> `TASKS.create()` returned (the rest of the claiming transaction, then the create call). */
  claimToCreated: number[];
  /** `create()` returned -> the instance's `run()` began (Miniflare's Workflows engine). */
  createdToRun: number[];
  /** `run()` began -> the `load` step's callback began (the engine recording the step). */
  runToStep: number[];
  /** The step's callback -> its RPC reached the coordinator. */
  stepToCoordinator: number[];
}

/** The floor's dispatch latency split at the points its Worker records. */
export function floorDispatchBreakdown(run: FloorRun): DispatchBreakdown {
  const tasks = run.report.tasks;
  return {
    claimToCreated: tasks.map((t) => t.createdAt - t.claimedAt),
    createdToRun: tasks.map((t) => t.runAt - t.createdAt),
    runToStep: tasks.map((t) => t.stepAt - t.runAt),
    stepToCoordinator: tasks.map((t) => t.startedAt - t.stepAt),
  };
}

/**
 * Dispatch (ms) split by when a task was claimed: the first `firstWave` claims (taken together
 * when the plan is accepted, or when the floor starts) against the rest (each claimed in the
 * transaction that freed its slot). `dispatchMs` is in claim order, as both sides list it.
 */
export function dispatchByWave(dispatchMs: readonly number[], firstWave: number) {
  return { first: dispatchMs.slice(0, firstWave), rest: dispatchMs.slice(firstWave) };
}
