import { BernsteinError } from "@bernstein/core";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, LOOPBACK } from "@bernstein/local-stack";
import { type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { Log, LogLevel, Miniflare } from "miniflare";
import { FLOOR_WORKER } from "./config.js";
import type { Workload } from "./workload.js";

const MODEL_KEY = "sk-ant-bench-floor-0123456789";

/** The floor's Workers running, and the scripted model they call. */
export interface FloorStack {
  mf: Miniflare;
  /** The floor orchestrator's origin, no trailing slash. */
  url: string;
  model: ScriptedModel;
  /** Stops Miniflare, then the model. */
  close(): Promise<void>;
}

/**
 * Starts the floor (bench/floor/worker.js) in its own in-memory Miniflare with the same
 * compatibility settings and bindings as the local stack, two Workers as the stack has, against
 * the workload's scripted model answers; `inspector` opens workerd's inspector on a free port.
 */
export async function startFloorStack(workload: Workload, options: { inspector?: boolean } = {}): Promise<FloorStack> {
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
    ...(options.inspector ? { inspectorPort: 0 } : {}),
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
  const close = async () => {
    await mf.dispose();
    await model.close();
  };
  try {
    const url = (await mf.ready).href.replace(/\/+$/, "");
    return { mf, url, model, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One request to the floor; anything but a 2xx is an error naming the path and the status. */
export async function callFloor(url: string, method: "GET" | "POST", body?: string): Promise<Response> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body }) });
  if (!res.ok) {
    throw new BernsteinError(
      "internal",
      `floor ${method} ${new URL(url).pathname}: HTTP ${res.status} ${await res.text()}`,
    );
  }
  return res;
}
