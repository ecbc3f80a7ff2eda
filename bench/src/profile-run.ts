import { startBenchStack } from "./bench-stack.js";
import { type CpuSample, sampleCpu } from "./process-cpu.js";
import { type CpuProfile, startProfiling } from "./profile-inspector.js";
import { assertAllMerged, assertModelAnswered } from "./run-checks.js";
import type { Workload } from "./workload.js";

/** One isolate's profile: its inspector target id (`core:user:orchestrator`, `r2:bucket`, ...). */
export interface IsolateProfile {
  target: string;
  profile: CpuProfile;
}

export interface ProfiledRun {
  profiles: IsolateProfile[];
  cpu: { before: CpuSample; after: CpuSample };
  wallMs: number;
}

/**
 * Runs the workload as the bench's Bernstein run does (a fresh bench stack, real client),
 * with workerd's inspector open and V8's profiler running on every isolate from just before
 * `POST /v1/runs` to the run's end. Throws unless every task merged.
 */
export async function runProfiled(workload: Workload, maxAgents: number, intervalUs: number): Promise<ProfiledRun> {
  const bench = await startBenchStack(workload, { inspector: true });
  try {
    const { stack, client, model, baseSnapshot } = bench;
    const inspector = await stack.miniflare.getInspectorURL();
    const profiling = await startProfiling(Number(inspector.port), intervalUs);
    const before = sampleCpu();
    const started = Date.now();
    const run = await client.createRun({ goal: workload.goal, baseSnapshot, plan: workload.plan, maxAgents });
    for await (const _event of client.events(run.id, { after: 0 })) {
      // followed to the end: the stream closes when the run ends
    }
    const wallMs = Date.now() - started;
    const after = sampleCpu();
    const byTarget = await profiling.stop();
    assertModelAnswered(model.requests, 2 * workload.plan.tasks.length);
    assertAllMerged(await client.getRun(run.id), "profiled");
    const profiles = [...byTarget].map(([target, profile]) => ({ target: target.id, profile }));
    return { profiles, cpu: { before, after }, wallMs };
  } finally {
    await bench.close();
  }
}
