import { createClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import { startLocalStack } from "@bernstein/local-stack";
import { startScriptedModel } from "@bernstein/testing";
import { workerBundles } from "./config.js";
import { assertModelAnswered } from "./model-check.js";
import { type CpuSample, sampleCpu } from "./process-cpu.js";
import { type CpuProfile, startProfiling } from "./profile-inspector.js";
import { uploadSnapshot } from "./snapshot.js";
import type { Workload } from "./workload.js";

// Stand-in credentials of an in-memory stack that lives for one profiled run.
const MODEL_KEY = "sk-ant-bench-0123456789abcdef";
const API_TOKEN = "bench-token-0123456789";

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
 * Runs the workload as the bench's Bernstein run does (fresh in-memory stack, scripted model,
 * real client), with workerd's inspector open and V8's profiler running on every isolate from
 * just before `POST /v1/runs` to the run's end. Throws unless every task merged.
 */
export async function runProfiled(workload: Workload, maxAgents: number, intervalUs: number): Promise<ProfiledRun> {
  const model = await startScriptedModel(workload.script, { apiKey: MODEL_KEY });
  const stack = await startLocalStack({
    bundles: workerBundles(),
    token: API_TOKEN,
    auditKey: "b".repeat(64),
    env: { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
    inspectorPort: 0,
  });
  try {
    const inspector = await stack.miniflare.getInspectorURL();
    const client = createClient({ baseUrl: stack.url, token: API_TOKEN });
    const baseSnapshot = await uploadSnapshot(client, workload.files);
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
    const done = await client.getRun(run.id);
    if (done.status !== "completed" || done.tasks.some((t) => t.status !== "merged")) {
      throw new BernsteinError("internal", `the profiled run ended ${done.status}, not with every task merged`);
    }
    const profiles = [...byTarget].map(([target, profile]) => ({ target: target.id, profile }));
    return { profiles, cpu: { before, after }, wallMs };
  } finally {
    await stack.stop();
    await model.close();
  }
}
