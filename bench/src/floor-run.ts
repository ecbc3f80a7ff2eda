import { BernsteinError } from "@bernstein/core";
import { callFloor, startFloorStack } from "./floor-stack.js";
import { type CpuSample, sampleCpu } from "./process-cpu.js";
import { assertModelAnswered } from "./run-checks.js";
import { shapeCounts, type TaskShape } from "./task-shape.js";
import type { Workload } from "./workload.js";

/** The floor coordinator's timestamps (workerd clock, epoch ms), per task and for the run. */
export interface FloorReport {
  firstClaimAt: number;
  completedAt: number;
  tasks: {
    id: string;
    claimedAt: number;
    /** When `TASKS.create()` returned to the coordinator. */
    createdAt: number;
    /** When the workflow's `run()` began. */
    runAt: number;
    /** When the `load` step's callback began. */
    stepAt: number;
    startedAt: number;
    finishedAt: number;
  }[];
}

/** What one floor run produced. */
export interface FloorRun {
  report: FloorReport;
  /** Node clock (epoch ms) just before `POST /start`. */
  postedAt: number;
  /** Node clock when the `/wait` response ended. */
  completedAt: number;
  /** CPU time just before `POST /start` and when `/wait` ended. */
  cpu: { before: CpuSample; after: CpuSample };
}

/**
 * Runs the floor (bench/floor/worker.js): `tasks` tasks of `shape`, `maxAgents` at a time, in its own
 * in-memory Miniflare with the same compatibility settings and bindings as the local stack,
 * against the same scripted model answers. Throws unless every task reported back.
 */
export async function runFloor(
  workload: Workload,
  shape: TaskShape,
  tasks: number,
  maxAgents: number,
): Promise<FloorRun> {
  const floor = await startFloorStack(workload);
  try {
    const { url, model } = floor;
    await callFloor(`${url}/setup?tasks=${tasks}&maxAgents=${maxAgents}`, "POST", JSON.stringify(shape));
    const before = sampleCpu();
    const postedAt = Date.now();
    // `/wait` first, so the end cannot be missed; it ends when the last task has merged.
    await Promise.all([callFloor(`${url}/wait`, "GET").then((res) => res.text()), callFloor(`${url}/start`, "POST")]);
    const completedAt = Date.now();
    const after = sampleCpu();
    const report = (await (await callFloor(`${url}/report`, "GET")).json()) as FloorReport;
    assertModelAnswered(model.requests, tasks * shapeCounts(shape).model_calls);
    const unfinished = report.tasks.filter((t) => t.finishedAt === 0).length;
    if (report.tasks.length !== tasks || unfinished > 0 || report.completedAt === 0) {
      throw new BernsteinError(
        "internal",
        `the floor ran ${report.tasks.length} of ${tasks} tasks, ${unfinished} unfinished`,
      );
    }
    return { report, postedAt, completedAt, cpu: { before, after } };
  } finally {
    await floor.close();
  }
}
