import { createClient } from "@bernstein/client";
import { BernsteinError, type RunEvent } from "@bernstein/core";
import { startLocalStack } from "@bernstein/local-stack";
import { startScriptedModel } from "@bernstein/testing";
import { workerBundles } from "./config.js";
import { assertModelAnswered } from "./model-check.js";
import { type CpuSample, sampleCpu, watchPeakRss } from "./process-cpu.js";
import { uploadSnapshot } from "./snapshot.js";
import type { Workload } from "./workload.js";

// Stand-in credentials of an in-memory stack that lives for one run of the benchmark.
const MODEL_KEY = "sk-ant-bench-0123456789abcdef";
const API_TOKEN = "bench-token-0123456789";

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
 * Runs the workload on a fresh in-memory local stack (both Worker bundles under Miniflare,
 * the scripted model on loopback) through the real client, following the run's SSE stream
 * until the run ends. Throws unless every task merged: figures of a broken run mean nothing.
 */
export async function runBernstein(workload: Workload, maxAgents: number): Promise<BernsteinRun> {
  const model = await startScriptedModel(workload.script, { apiKey: MODEL_KEY });
  const stack = await startLocalStack({
    bundles: workerBundles(),
    token: API_TOKEN,
    auditKey: "b".repeat(64),
    env: { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  try {
    const client = createClient({ baseUrl: stack.url, token: API_TOKEN });
    const baseSnapshot = await uploadSnapshot(client, workload.files);
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
    const done = await client.getRun(run.id);
    const unmerged = done.tasks.filter((t) => t.status !== "merged");
    if (done.status !== "completed" || unmerged.length > 0) {
      throw new BernsteinError(
        "internal",
        `the benchmark run ended ${done.status} with ${unmerged.length} unmerged tasks`,
        {
          details: { unmerged: unmerged.slice(0, 5).map((t) => ({ title: t.title, status: t.status })) },
        },
      );
    }
    return { events, postedAt, completedAt, cpu: { before, after }, peakRssMb };
  } finally {
    await stack.stop();
    await model.close();
  }
}
