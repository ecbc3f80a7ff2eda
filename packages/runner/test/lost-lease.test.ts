import { join } from "node:path";
import type { RunnerJob } from "@bernstein/core";
import { CALCULATOR_GOAL, calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerEvent } from "../src/events.js";
import { startRunner } from "../src/start-runner.js";
import { tempDir } from "../src/test-support/trees.js";
import {
  calculatorFiles,
  calculatorPlan,
  type RunnerTestStack,
  startRunnerTestStack,
  waitForRun,
} from "./support/stack.js";

// A short lease keeps the wait short; nothing below depends on how long anything takes.
const LEASE_SECONDS = 4;

let t: RunnerTestStack;
let scratch: { dir: string; remove(): Promise<void> };

beforeAll(async () => {
  t = await startRunnerTestStack(calculatorScript(), { RUNNER_LEASE_SECONDS: String(LEASE_SECONDS) });
  scratch = await tempDir("runner-lost-lease-");
});
afterAll(async () => {
  await t?.stop();
  await scratch?.remove();
});

describe("a runner that stops heartbeating", () => {
  it("loses its job to another runner, and the run records a job.lost event naming both", async () => {
    const base = await t.upload(calculatorFiles());
    const run = await t.api.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base,
      plan: calculatorPlan(1),
      verifyCommands: ["npm test"],
    });

    // The silent runner: it claims the first job over the real API, then never heartbeats again.
    const silent = await t.newRunner("silent");
    let held: RunnerJob | null = null;
    const hangGuard = Date.now() + 120_000;
    while (!held && Date.now() < hangGuard) held = await silent.client.claim({ waitSeconds: 5 });
    if (!held) throw new Error("no job was queued within 2 minutes");
    const claimedAt = Date.now();
    // The claim starts the lease the orchestrator is configured with (RUNNER_LEASE_SECONDS).
    expect(held.leaseSeconds).toBe(LEASE_SECONDS);

    const survivor = await t.newRunner("survivor");
    const stop = new AbortController();
    const events: { at: number; event: RunnerEvent }[] = [];
    const runner = startRunner({
      client: survivor.client,
      cacheDir: join(scratch.dir, "cache"),
      workspaceRoot: join(scratch.dir, "work"),
      signal: stop.signal,
      waitSeconds: 2,
      onEvent: (event) => events.push({ at: Date.now(), event }),
    });
    const final = await waitForRun(t.api, run.id, 180_000);
    stop.abort();
    await runner.stopped;

    expect(final.status).toBe("completed");
    const job = (await t.jobsOf(run.id)).find((row) => row.id === held.id);
    // Claimed twice: by the silent runner, then, once its lease ran out, by the survivor.
    expect(job).toMatchObject({ status: "passed", claims: 2, runner_id: survivor.id, exit_code: 0 });
    // The silent runner's lease is gone: its late heartbeat is refused.
    await expect(silent.client.heartbeat(held.id)).rejects.toMatchObject({ code: "conflict" });

    const lost = (await t.eventsOf(run.id)).filter(
      (event) => event.type === "job.lost" && event.data.jobId === held.id,
    );
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      taskId: held.kind === "baseline" ? null : held.taskId,
      data: {
        jobId: held.id,
        kind: held.kind,
        attempt: held.kind === "baseline" ? null : held.attempt,
        runner: "silent",
        takenBy: "survivor",
      },
    });

    const takeover = events.find(({ event }) => event.type === "claimed" && event.job.id === held.id);
    expect(takeover).toBeDefined();
    const delay = ((takeover?.at ?? claimedAt) - claimedAt) / 1000;
    // A figure for the report, not a check.
    process.stdout.write(
      `[lost-lease] lease ${LEASE_SECONDS} s: the survivor took the job ${delay.toFixed(1)} s after the silent runner claimed it\n`,
    );
  }, 300_000);
});
