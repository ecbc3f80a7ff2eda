import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunnerClient, registerRunner } from "@bernstein/client";
import { BernsteinError, METER_PATH, type MeterCounts, type RunView } from "@bernstein/core";
import { startRunner } from "@bernstein/runner";
import { BENCH_API_TOKEN, startBenchStack } from "./bench-stack.js";
import { COST_VERIFY, type CostShape, createCostWorkload, TURNS_PER_TASK } from "./cost-workload.js";
import { assertAllMerged, assertModelAnswered } from "./run-checks.js";

/** What a metered run used, per Worker, and how the run ended. */
export interface MeteredRun {
  shape: CostShape;
  orchestrator: MeterCounts;
  agent: MeterCounts;
  run: Pick<RunView, "id" | "status"> & { tasks: number; merged: number };
  /** Verify jobs the runner finished. */
  jobs: number;
  /** Model calls the scripted model answered. */
  modelCalls: number;
}

/**
 * Runs `shape` on a fresh in-memory local stack with the meter on (`BERNSTEIN_METER=1`), the
 * scripted model and one runner (which verifies every candidate), driven through the real
 * client as `bernstein run --wait` would: upload the snapshot, create the run, follow its
 * events to the end, read the run. Then reads both Workers' counters. Throws unless every task
 * merged: the usage of a broken run prices nothing.
 */
export async function runMetered(shape: CostShape): Promise<MeteredRun> {
  const workload = createCostWorkload(shape);
  const scratch = await mkdtemp(join(tmpdir(), "bernstein-cost-"));
  const bench = await startBenchStack(workload, { meter: true });
  const { stack, client, model, baseSnapshot } = bench;
  const stopRunner = new AbortController();
  let jobs = 0;
  try {
    const runnerToken = await registerRunner(
      { baseUrl: stack.url, token: BENCH_API_TOKEN },
      { name: "cost", labels: [] },
    );
    const runner = startRunner({
      client: createRunnerClient({ baseUrl: stack.url, token: runnerToken.token }),
      cacheDir: join(scratch, "cache"),
      workspaceRoot: join(scratch, "work"),
      signal: stopRunner.signal,
      onEvent: (event) => {
        if (event.type === "finished") jobs += 1;
      },
    });
    const created = await client.createRun({
      goal: workload.goal,
      baseSnapshot,
      plan: workload.plan,
      maxAgents: shape.maxAgents,
      verifyCommands: [COST_VERIFY],
    });
    for await (const _event of client.events(created.id, { after: 0 })) {
      // followed to the end, as `run --wait` does
    }
    const done = await client.getRun(created.id);
    stopRunner.abort();
    await runner.stopped;
    assertAllMerged(done, "metered");
    const merged = done.tasks.length;
    assertModelAnswered(model.requests, TURNS_PER_TASK * shape.tasks);
    const orchestrator = await readCounts(await fetch(`${stack.url}${METER_PATH}`));
    const agentWorker = await stack.miniflare.getWorker("agent");
    const agent = await readCounts(await agentWorker.fetch(`http://agent${METER_PATH}`));
    return {
      shape,
      orchestrator,
      agent,
      run: { id: done.id, status: done.status, tasks: done.tasks.length, merged },
      jobs,
      modelCalls: model.requests.length,
    };
  } finally {
    stopRunner.abort();
    await bench.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readCounts(response: { ok: boolean; status: number; json(): Promise<unknown> }): Promise<MeterCounts> {
  if (!response.ok) throw new BernsteinError("internal", `the meter answered HTTP ${response.status}`);
  return (await response.json()) as MeterCounts;
}
