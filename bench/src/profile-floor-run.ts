import { callFloor, startFloorStack } from "./floor-stack.js";
import { sampleCpu } from "./process-cpu.js";
import { startProfiling } from "./profile-inspector.js";
import type { ProfiledRun } from "./profile-run.js";
import type { TaskShape } from "./task-shape.js";
import type { Workload } from "./workload.js";

/**
 * The floor's run (bench/floor/worker.js, started by `floor-stack.ts` as for `floor-run.ts`)
 * with workerd's inspector open and V8's profiler on every isolate from just before
 * `POST /start` to the end of `/wait`, so the two sides' isolates can be compared share by share.
 */
export async function runFloorProfiled(
  workload: Workload,
  shape: TaskShape,
  tasks: number,
  maxAgents: number,
  intervalUs: number,
): Promise<ProfiledRun> {
  const floor = await startFloorStack(workload, { inspector: true });
  try {
    const { mf, url } = floor;
    const inspector = await mf.getInspectorURL();
    await callFloor(`${url}/setup?tasks=${tasks}&maxAgents=${maxAgents}`, "POST", JSON.stringify(shape));
    const profiling = await startProfiling(Number(inspector.port), intervalUs);
    const before = sampleCpu();
    const started = Date.now();
    await Promise.all([callFloor(`${url}/wait`, "GET").then((res) => res.text()), callFloor(`${url}/start`, "POST")]);
    const wallMs = Date.now() - started;
    const after = sampleCpu();
    const byTarget = await profiling.stop();
    const profiles = [...byTarget].map(([target, profile]) => ({ target: target.id, profile }));
    return { profiles, cpu: { before, after }, wallMs };
  } finally {
    await floor.close();
  }
}
