import { BernsteinError } from "@bernstein/core";
import { runBernstein } from "./bernstein-run.js";
import { bernsteinFigures } from "./figures.js";
import { createWorkload } from "./workload.js";

/** What the scale run measured: Bernstein alone, at `tasks` and at `baselineTasks`, same agents. */
export interface ScaleRun {
  tasks: number;
  agents: number;
  cpuMsPerTask: number | null;
  cpuMsPerTaskAtBaseline: number | null;
  peakRssMb: number | null;
  completed: boolean;
}

/**
 * Runs `baselineTasks`, then `tasks`, with `agents` agents and an instant model. CPU per task
 * that grows with the number of tasks means a step whose cost grows with the run (a scan of
 * every task per change, say): the two figures side by side show it.
 */
export async function runScale(tasks: number, baselineTasks: number, agents: number): Promise<ScaleRun> {
  const baseline = await runBernstein(createWorkload(baselineTasks), agents);
  const atBaseline = bernsteinFigures(baseline, baselineTasks, agents);
  let completed = true;
  let large: Awaited<ReturnType<typeof runBernstein>> | undefined;
  try {
    large = await runBernstein(createWorkload(tasks), agents);
  } catch (error) {
    if (!(error instanceof BernsteinError)) throw error;
    completed = false;
  }
  const figures = large ? bernsteinFigures(large, tasks, agents) : undefined;
  return {
    tasks,
    agents,
    cpuMsPerTask: figures?.workerdCpuMsPerTask ?? null,
    cpuMsPerTaskAtBaseline: atBaseline.workerdCpuMsPerTask,
    peakRssMb: large?.peakRssMb ?? null,
    completed,
  };
}
