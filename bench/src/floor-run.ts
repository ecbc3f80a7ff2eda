import { BernsteinError } from "@bernstein/core";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, LOOPBACK } from "@bernstein/local-stack";
import { startScriptedModel } from "@bernstein/testing";
import { Log, LogLevel, Miniflare } from "miniflare";
import { FLOOR_WORKER } from "./config.js";
import { assertModelAnswered } from "./model-check.js";
import { type CpuSample, sampleCpu } from "./process-cpu.js";
import { shapeCounts, type TaskShape } from "./task-shape.js";
import type { Workload } from "./workload.js";

const MODEL_KEY = "sk-ant-bench-floor-0123456789";

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
  const model = await startScriptedModel(workload.script, { apiKey: MODEL_KEY });
  const shared = {
    modules: true,
    scriptPath: FLOOR_WORKER,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    d1Databases: { STATE_DB: "floor-state" },
    r2Buckets: { ARTIFACTS: "floor-artifacts" },
  };
  const mf = new Miniflare({
    host: LOOPBACK,
    port: 0,
    cf: false,
    log: new Log(LogLevel.WARN),
    workers: [
      {
        ...shared,
        name: "floor-orchestrator",
        durableObjects: { COORDINATOR: { className: "FloorCoordinator", useSQLite: true } },
        workflows: { TASKS: { name: "floor-task", className: "FloorWorkflow", scriptName: "floor-agent" } },
      },
      {
        ...shared,
        name: "floor-agent",
        durableObjects: {
          COORDINATOR: { className: "FloorCoordinator", scriptName: "floor-orchestrator", useSQLite: true },
        },
        bindings: { MODEL_URL: model.anthropicBaseUrl, MODEL_KEY },
      },
    ],
  });
  try {
    const url = (await mf.ready).href.replace(/\/+$/, "");
    await call(`${url}/setup?tasks=${tasks}&maxAgents=${maxAgents}`, "POST", JSON.stringify(shape));
    const before = sampleCpu();
    const postedAt = Date.now();
    // `/wait` first, so the end cannot be missed; it ends when the last task has merged.
    await Promise.all([call(`${url}/wait`, "GET").then((res) => res.text()), call(`${url}/start`, "POST")]);
    const completedAt = Date.now();
    const after = sampleCpu();
    const report = (await (await call(`${url}/report`, "GET")).json()) as FloorReport;
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
    await mf.dispose();
    await model.close();
  }
}

async function call(url: string, method: "GET" | "POST", body?: string): Promise<Response> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body }) });
  if (!res.ok)
    throw new BernsteinError(
      "internal",
      `floor ${method} ${new URL(url).pathname}: HTTP ${res.status} ${await res.text()}`,
    );
  return res;
}
