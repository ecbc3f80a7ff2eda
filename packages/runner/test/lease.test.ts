import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CALCULATOR_GOAL, calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerEvent } from "../src/events.js";
import { startRunner } from "../src/start-runner.js";
import { tempDir } from "../src/test-support/trees.js";
import { type RunnerProcess, spawnRunnerProcess } from "./support/runner-process.js";
import {
  calculatorFiles,
  calculatorPlan,
  type RunnerTestStack,
  startRunnerTestStack,
  waitForRun,
} from "./support/stack.js";

let t: RunnerTestStack;
let scratch: { dir: string; remove(): Promise<void> };
let child: ChildProcess | undefined;

beforeAll(async () => {
  t = await startRunnerTestStack(calculatorScript());
  scratch = await tempDir("runner-lease-");
});
afterAll(async () => {
  child?.kill("SIGKILL");
  // Only when the killed runner's guard missed its verify command: end what is left of it.
  const pids = await readFile(join(scratch.dir, "pids"), "utf8").catch(() => "");
  for (const pid of pids.split("\n").filter(Boolean)) killIfAlive(Number(pid));
  await t?.stop();
  await scratch?.remove();
});

function killIfAlive(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ESRCH") throw error;
  }
}

function spawnRunner(token: string): RunnerProcess {
  const runner = spawnRunnerProcess({
    url: t.stack.url,
    token,
    cacheDir: join(scratch.dir, "child-cache"),
    workDir: join(scratch.dir, "child-work"),
    pidFile: join(scratch.dir, "pids"),
  });
  return runner;
}

describe("a runner killed mid-job", () => {
  it("loses the job's lease, and another runner runs the job to its end", async () => {
    const base = await t.upload(calculatorFiles());
    // The command records its process group so the test can clean up after the killed runner.
    const verify = ['echo "$$" >> "$RUNNER_TEST_PIDS"', "sleep 3", "npm test"];
    const run = await t.api.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base,
      plan: calculatorPlan(),
      verifyCommands: verify,
    });

    const doomed = await t.newRunner("doomed");
    const first = spawnRunner(doomed.token);
    child = first.process;
    const claimed = await first.next("claimed");
    await first.next("materialised");
    // The first verify command has written its pid: the commands are running now.
    await expect
      .poll(() => readFile(join(scratch.dir, "pids"), "utf8").catch(() => ""), { timeout: 60_000 })
      .not.toBe("");
    const killedAt = Date.now();
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));

    const survivor = await t.newRunner("survivor");
    const stop = new AbortController();
    const events: RunnerEvent[] = [];
    let takenOverAt: number | undefined;
    const runner = startRunner({
      client: survivor.client,
      // A slot for each job of the run: one is free to take the lapsed job when its lease runs out.
      concurrency: 4,
      cacheDir: join(scratch.dir, "survivor-cache"),
      workspaceRoot: join(scratch.dir, "survivor-work"),
      env: { ...process.env, RUNNER_TEST_PIDS: join(scratch.dir, "pids") },
      passEnv: ["RUNNER_TEST_PIDS"],
      signal: stop.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === "claimed" && event.job.id === claimed.jobId) takenOverAt ??= Date.now();
      },
    });
    const final = await waitForRun(t.api, run.id, 150_000);
    stop.abort();
    await runner.stopped;

    expect(final.status).toBe("completed");
    const jobs = await t.jobsOf(run.id);
    // Three candidates and the baseline of the base snapshot.
    expect(jobs.map((job) => job.kind).sort()).toEqual(["baseline", "candidate", "candidate", "candidate"]);
    const handedOver = jobs.find((job) => job.id === claimed.jobId);
    // Claimed twice: by the killed runner, then (after its lease ran out) by the survivor.
    expect(handedOver).toMatchObject({ status: "passed", claims: 2, runner_id: survivor.id, exit_code: 0 });
    for (const job of jobs.filter((j) => j.id !== claimed.jobId)) {
      expect(job).toMatchObject({ status: "passed", claims: 1, runner_id: survivor.id });
    }
    const takeover = events.find((e) => e.type === "claimed" && e.job.id === claimed.jobId);
    expect(takeover).toBeDefined();
    const takeoverIndex = events.indexOf(takeover as RunnerEvent);
    expect(events.slice(takeoverIndex).find((e) => e.type === "finished" && e.job.id === claimed.jobId)).toMatchObject({
      result: { passed: true },
    });
    // The survivor was given the stack's default lease (8 s), and lost nothing itself.
    const claimedJob = takeover?.type === "claimed" ? takeover.job : undefined;
    expect(claimedJob?.leaseSeconds).toBe(8);
    expect(events.filter((e) => e.type === "lost")).toEqual([]);
    // The run's log says whose lease lapsed and who took the job (what `logs` and the monitor show).
    const lost = (await t.eventsOf(run.id)).filter((e) => e.type === "job.lost");
    expect(lost).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ jobId: claimed.jobId, runner: "doomed", takenBy: "survivor" }),
      }),
    ]);
    // A figure for the report, not a check.
    const delay = ((takenOverAt ?? killedAt) - killedAt) / 1000;
    process.stdout.write(`[lease] lease 8 s: the survivor took the job ${delay.toFixed(1)} s after the kill\n`);
  }, 200_000);
});
