import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Environment } from "./environment.js";
import type { DispatchBreakdown, RunFigures } from "./figures.js";
import { median, percentile } from "./percentile.js";
import type { ScaleRun } from "./scale.js";
import type { shapeCounts } from "./task-shape.js";

/** The targets. */
export const TARGETS = { dispatchP50Ms: 25, overheadRatio: 2 } as const;

/** One round: Bernstein and the floor run back to back (in `order`) on fresh stacks. */
export interface Round {
  order: "bernstein-first" | "floor-first";
  bernstein: RunFigures;
  floor: RunFigures;
  floorBreakdown: DispatchBreakdown;
}

/** The realistic run: both sides once, with a model that answers each turn after a delay. */
export interface RealisticRun {
  modelLatencyMs: number;
  tasks: number;
  maxAgents: number;
  bernstein: RunFigures;
  floor: RunFigures;
  floorBreakdown: DispatchBreakdown;
}

export interface ResultsInput {
  tasks: number;
  maxAgents: number;
  rounds: Round[];
  realistic: RealisticRun;
  scale: ScaleRun;
  /** Per-task operation counts of the task shape both sides run. */
  shape: ReturnType<typeof shapeCounts>;
  environment: Environment;
}

/** Milliseconds to 0.1, so the file changes only where a figure does. */
function ms(value: number | null): number | null {
  return value === null || Number.isNaN(value) ? null : Math.round(value * 10) / 10;
}

function side(figures: RunFigures[]) {
  const pick = (f: (r: RunFigures) => number) => ms(median(figures.map(f)));
  const dispatch = figures.flatMap((r) => r.dispatchMs);
  return {
    dispatch_p50_ms: ms(percentile(dispatch, 50)),
    dispatch_p99_ms: ms(percentile(dispatch, 99)),
    ms_per_task: pick((r) => r.perTaskMs),
    orchestration_wall_ms: pick((r) => r.orchestrationWallMs),
    slot_busy_ms_per_task: pick((r) => r.slotBusyMs),
    end_to_end_ms: pick((r) => r.endToEndMs),
    tasks_per_second: ms(median(figures.map((r) => r.tasksPerSecond))),
    workerd_cpu_ms_per_task: nullableMedian(figures.map((r) => r.workerdCpuMsPerTask)),
    node_cpu_ms_per_task: pick((r) => r.nodeCpuMsPerTask),
    others_cpu_pct: nullableMedian(figures.map((r) => r.othersCpuPct)),
  };
}

function cpuRatio(ours: number | null, floor: number | null): number | null {
  return ours === null || floor === null ? null : Math.round((ours / floor) * 100) / 100;
}

function nullableMedian(values: (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : ms(median(values as number[]));
}

function roundFigures(r: RunFigures) {
  return {
    dispatch_p50_ms: ms(percentile(r.dispatchMs, 50)),
    dispatch_p99_ms: ms(percentile(r.dispatchMs, 99)),
    ms_per_task: ms(r.perTaskMs),
    end_to_end_ms: ms(r.endToEndMs),
    workerd_cpu_ms_per_task: ms(r.workerdCpuMsPerTask),
    others_cpu_pct: ms(r.othersCpuPct),
  };
}

/**
 * The results file's content. Keys are written in this fixed order (the five first),
 * numbers are rounded to 0.1 ms, so the committed file diffs cleanly. Figures over rounds are
 * medians; dispatch percentiles pool every task of every round.
 */
export function buildResults(input: ResultsInput) {
  const bernstein = side(input.rounds.map((r) => r.bernstein));
  const floor = side(input.rounds.map((r) => r.floor));
  const overhead = bernstein.ms_per_task ?? Number.NaN;
  const floorPerTask = floor.ms_per_task ?? Number.NaN;
  const ratio = Math.round((overhead / floorPerTask) * 100) / 100;
  const breakdown = (pick: (b: DispatchBreakdown) => number[]) =>
    ms(
      percentile(
        input.rounds.flatMap((r) => pick(r.floorBreakdown)),
        50,
      ),
    );
  const env = input.environment;
  return {
    dispatch_p50_ms: bernstein.dispatch_p50_ms,
    dispatch_p99_ms: bernstein.dispatch_p99_ms,
    overhead_ms_per_task: bernstein.ms_per_task,
    floor_ms_per_task: floor.ms_per_task,
    overhead_ratio: ratio,
    targets: {
      dispatch_p50_ms_below: TARGETS.dispatchP50Ms,
      overhead_ratio_at_most: TARGETS.overheadRatio,
      dispatch_p50_met: (bernstein.dispatch_p50_ms ?? Number.POSITIVE_INFINITY) < TARGETS.dispatchP50Ms,
      overhead_ratio_met: ratio <= TARGETS.overheadRatio,
    },
    // Less sensitive than wall time to other jobs on a shared machine: a cross-check of the ratio.
    workerd_cpu_ratio: cpuRatio(bernstein.workerd_cpu_ms_per_task, floor.workerd_cpu_ms_per_task),
    realistic: {
      model_latency_ms: input.realistic.modelLatencyMs,
      dispatch_p50_ms: ms(percentile(input.realistic.bernstein.dispatchMs, 50)),
      dispatch_p99_ms: ms(percentile(input.realistic.bernstein.dispatchMs, 99)),
      floor_dispatch_p50_ms: ms(percentile(input.realistic.floor.dispatchMs, 50)),
      floor_dispatch_p99_ms: ms(percentile(input.realistic.floor.dispatchMs, 99)),
    },
    scale: {
      tasks: input.scale.tasks,
      agents: input.scale.agents,
      cpu_ms_per_task: ms(input.scale.cpuMsPerTask),
      cpu_ms_per_task_at_100: ms(input.scale.cpuMsPerTaskAtBaseline),
      peak_rss_mb: ms(input.scale.peakRssMb),
      completed: input.scale.completed,
    },
    workload: { tasks: input.tasks, max_agents: input.maxAgents, turns_per_task: 2, rounds: input.rounds.length },
    per_task_operations: input.shape,
    bernstein,
    floor: {
      ...floor,
      dispatch_breakdown_p50_ms: {
        claim_to_created: breakdown((b) => b.claimToCreated),
        created_to_run: breakdown((b) => b.createdToRun),
        run_to_step: breakdown((b) => b.runToStep),
        step_to_coordinator: breakdown((b) => b.stepToCoordinator),
      },
    },
    rounds: input.rounds.map((r) => ({
      order: r.order,
      bernstein: roundFigures(r.bernstein),
      floor: roundFigures(r.floor),
      ratio: Math.round((r.bernstein.perTaskMs / r.floor.perTaskMs) * 100) / 100,
    })),
    environment: {
      date: env.date,
      node: env.node,
      miniflare: env.miniflare,
      workerd: env.workerd,
      os: env.os,
      cpu: env.cpu,
      cpus: env.cpus,
      memory_gib: env.memoryGiB,
    },
  };
}

export type Results = ReturnType<typeof buildResults>;

/** Writes the results as indented JSON with a final newline. */
export async function writeResults(file: string, results: Results): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
