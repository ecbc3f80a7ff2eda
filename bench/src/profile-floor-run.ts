import { BernsteinError } from "@bernstein/core";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, LOOPBACK } from "@bernstein/local-stack";
import { startScriptedModel } from "@bernstein/testing";
import { Log, LogLevel, Miniflare } from "miniflare";
import { FLOOR_WORKER } from "./config.js";
import { sampleCpu } from "./process-cpu.js";
import { startProfiling } from "./profile-inspector.js";
import type { ProfiledRun } from "./profile-run.js";
import type { TaskShape } from "./task-shape.js";
import type { Workload } from "./workload.js";

const MODEL_KEY = "sk-ant-bench-floor-0123456789";

/**
 * The floor's run (bench/floor/worker.js, set up as `floor-run.ts` sets it up: same Workers,
 * bindings and compatibility settings) with workerd's inspector open and V8's profiler on every
 * isolate from just before `POST /start` to the end of `/wait`, so the two sides' isolates can
 * be compared share by share.
 */
export async function runFloorProfiled(
  workload: Workload,
  shape: TaskShape,
  tasks: number,
  maxAgents: number,
  intervalUs: number,
): Promise<ProfiledRun> {
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
    inspectorPort: 0,
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
    const inspector = await mf.getInspectorURL();
    await call(`${url}/setup?tasks=${tasks}&maxAgents=${maxAgents}`, "POST", JSON.stringify(shape));
    const profiling = await startProfiling(Number(inspector.port), intervalUs);
    const before = sampleCpu();
    const started = Date.now();
    await Promise.all([call(`${url}/wait`, "GET").then((res) => res.text()), call(`${url}/start`, "POST")]);
    const wallMs = Date.now() - started;
    const after = sampleCpu();
    const byTarget = await profiling.stop();
    const profiles = [...byTarget].map(([target, profile]) => ({ target: target.id, profile }));
    return { profiles, cpu: { before, after }, wallMs };
  } finally {
    await mf.dispose();
    await model.close();
  }
}

async function call(url: string, method: "GET" | "POST", body?: string): Promise<Response> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body }) });
  if (!res.ok) {
    throw new BernsteinError("internal", `floor ${method} ${new URL(url).pathname}: HTTP ${res.status}`);
  }
  return res;
}
