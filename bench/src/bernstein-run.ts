import type { RunEvent } from "@bernstein/core";
import { startBenchStack } from "./bench-stack.js";
import { type CpuSample, sampleCpu, watchPeakRss } from "./process-cpu.js";
import { assertAllMerged, assertModelAnswered } from "./run-checks.js";
import type { Workload } from "./workload.js";

/** What one Bernstein run of the workload produced. */
export interface BernsteinRun {
  /** The run's whole event log, in seq order. */
  events: RunEvent[];
  /** Node clock (epoch ms) just before `POST /v1/runs`. */
  postedAt: number;
  /** Node clock when the `run.status completed` event arrived over SSE. */
  completedAt: number;
  /** CPU time just before `POST /v1/runs` and when the run ended. */
  cpu: { before: CpuSample; after: CpuSample };
  /** workerd's peak resident memory over the run (MB), null where /proc is not there. */
  peakRssMb: number | null;
}

/**
 * Runs the workload on a fresh bench stack (`bench-stack.ts`) through the real client,
 * following the run's SSE stream until the run ends. Throws unless every task merged: figures
 * of a broken run mean nothing.
 */
export async function runBernstein(workload: Workload, maxAgents: number): Promise<BernsteinRun> {
  const bench = await startBenchStack(workload);
  try {
    const { client, model, baseSnapshot } = bench;
    const rss = watchPeakRss();
    const before = sampleCpu();
    const postedAt = Date.now();
    const run = await client.createRun({ goal: workload.goal, baseSnapshot, plan: workload.plan, maxAgents });
    const events: RunEvent[] = [];
    for await (const event of client.events(run.id, { after: 0 })) events.push(event);
    const completedAt = Date.now();
    const after = sampleCpu();
    const peakRssMb = rss.stop();
    // Turn 0 writes the task's file, turn 1 finishes it: two calls a task.
    assertModelAnswered(model.requests, 2 * workload.plan.tasks.length);
    assertAllMerged(await client.getRun(run.id), "benchmark");
    return { events, postedAt, completedAt, cpu: { before, after }, peakRssMb };
  } finally {
    await bench.close();
  }
}
