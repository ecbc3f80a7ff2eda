import { describe, expect, it } from "vitest";
import type { DispatchBreakdown, RunFigures } from "./figures.js";
import { buildResults, type ResultsInput, type Round } from "./results.js";

function figures(perTaskMs: number, dispatchMs: number[]): RunFigures {
  return {
    dispatchMs,
    orchestrationWallMs: perTaskMs * 10,
    perTaskMs,
    slotBusyMs: perTaskMs,
    endToEndMs: perTaskMs * 10 + 50,
    tasksPerSecond: 20,
    workerdCpuMsPerTask: 12.345,
    nodeCpuMsPerTask: 1,
    othersCpuPct: 2,
  };
}

const breakdown: DispatchBreakdown = { claimToCreated: [1], createdToRun: [2], runToStep: [3], stepToCoordinator: [4] };
const environment = {
  date: "2026-11-27T00:00:00.000Z",
  node: "v20.20.2",
  miniflare: "4.20260426.0",
  workerd: "1.20260426.1",
  os: "linux",
  cpu: "cpu",
  cpus: 2,
  memoryGiB: 24,
};
const shape = { steps: 9, rpcs: 9, d1_batches: 4, d1_statements: 28, r2_puts: 7, model_calls: 2 };

function round(order: Round["order"], bernstein: RunFigures, floor: RunFigures): Round {
  return { order, bernstein, floor, floorBreakdown: breakdown };
}

/** A whole run's input: the realistic part with the dispatch times given, the scale part at its CPU per task (null: not run). */
function input(
  parts: { bernsteinDispatch: number[]; floorDispatch: number[]; scaleCpuMsPerTask: number | null },
  rounds: Round[],
): ResultsInput {
  return {
    tasks: 200,
    maxAgents: 20,
    shape,
    environment,
    realistic: {
      modelLatencyMs: 1_000,
      tasks: 60,
      maxAgents: 20,
      bernstein: figures(300, parts.bernsteinDispatch),
      floor: figures(100, parts.floorDispatch),
      floorBreakdown: breakdown,
    },
    scale:
      parts.scaleCpuMsPerTask === null
        ? null
        : {
            tasks: 1_000,
            agents: 50,
            cpuMsPerTask: parts.scaleCpuMsPerTask,
            cpuMsPerTaskAtBaseline: 20,
            peakRssMb: 300,
            completed: true,
          },
    rounds,
  };
}

describe("buildResults", () => {
  it("puts the issue's five figures first: medians of the rounds, percentiles of every task", () => {
    const results = buildResults(
      input({ bernsteinDispatch: [100, 200, 300], floorDispatch: [90, 180], scaleCpuMsPerTask: 21.04 }, [
        round("floor-first", figures(300, [10, 20]), figures(100, [5])),
        round("bernstein-first", figures(500, [30, 40]), figures(300, [6])),
        round("floor-first", figures(400, [50, 60]), figures(200, [7])),
      ]),
    );
    expect(Object.keys(results).slice(0, 5)).toEqual([
      "dispatch_p50_ms",
      "dispatch_p99_ms",
      "overhead_ms_per_task",
      "floor_ms_per_task",
      "overhead_ratio",
    ]);
    expect(results).toMatchObject({
      dispatch_p50_ms: 30,
      dispatch_p99_ms: 60,
      overhead_ms_per_task: 400,
      floor_ms_per_task: 200,
      overhead_ratio: 2,
      targets: { dispatch_p50_met: false, overhead_ratio_met: false },
    });
    expect(results.bernstein.workerd_cpu_ms_per_task).toBe(12.3);
    expect(results.realistic).toEqual({
      model_latency_ms: 1_000,
      dispatch_p50_ms: 200,
      dispatch_p99_ms: 300,
      floor_dispatch_p50_ms: 90,
      floor_dispatch_p99_ms: 180,
    });
    expect(Object.keys(results.scale ?? {})).toEqual([
      "tasks",
      "agents",
      "cpu_ms_per_task",
      "cpu_ms_per_task_at_100",
      "peak_rss_mb",
      "completed",
    ]);
    expect(results.scale?.cpu_ms_per_task).toBe(21);
    expect(results.rounds.map((r) => r.ratio)).toEqual([3, 1.67, 2]);
  });

  it("records issue 12's targets as ratios, each null when its part was not run", () => {
    const dispatch = { bernsteinDispatch: [110, 250], floorDispatch: [100, 100] };
    const full = buildResults(
      input({ ...dispatch, scaleCpuMsPerTask: 24 }, [
        round(
          "floor-first",
          { ...figures(140, [10]), workerdCpuMsPerTask: 31 },
          { ...figures(100, [5]), workerdCpuMsPerTask: 20 },
        ),
      ]),
    );
    expect(full.targets).toMatchObject({
      overhead_ratio_at_most: 1.5,
      overhead_ratio_met: true,
      workerd_cpu_ratio_at_most: 1.5,
      workerd_cpu_ratio_met: false,
      realistic_dispatch_ratio_at_most: 1.25,
      realistic_dispatch_p50_ratio: 1.1,
      realistic_dispatch_p99_ratio: 2.5,
      realistic_dispatch_p50_met: true,
      realistic_dispatch_p99_met: false,
      scale_cpu_ratio_at_most: 1.2,
      scale_cpu_ratio: 1.2,
      scale_cpu_ratio_met: true,
    });
    expect(full.workerd_cpu_ratio).toBe(1.55);

    const realisticOnly = buildResults(input({ ...dispatch, scaleCpuMsPerTask: null }, []));
    expect(realisticOnly.scale).toBeNull();
    expect(realisticOnly.dispatch_p50_ms).toBeNull();
    expect(realisticOnly.overhead_ratio).toBeNull();
    expect(realisticOnly.targets).toMatchObject({
      dispatch_p50_met: null,
      overhead_ratio_met: null,
      workerd_cpu_ratio_met: null,
      realistic_dispatch_p99_met: false,
      scale_cpu_ratio_met: null,
    });
  });
});
