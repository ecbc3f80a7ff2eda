import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createClient, createRunnerClient } from "@bernstein/client";
import { CALCULATOR_GOAL, calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBlobCache } from "../src/blob-cache.js";
import type { RunnerEvent } from "../src/events.js";
import { execCommands } from "../src/exec-commands.js";
import { startRunner } from "../src/start-runner.js";
import { tempDir } from "../src/test-support/trees.js";
import { writeTree } from "../src/write-tree.js";
import {
  calculatorFiles,
  calculatorPlan,
  type RunnerTestStack,
  startRunnerTestStack,
  waitForRun,
} from "./support/stack.js";

let t: RunnerTestStack;
let scratch: { dir: string; remove(): Promise<void> };

beforeAll(async () => {
  t = await startRunnerTestStack(calculatorScript());
  scratch = await tempDir("runner-queue-");
});
afterAll(async () => {
  await t?.stop();
  await scratch?.remove();
});

describe("two runners on one job queue", () => {
  it("never run a job twice, keep a job longer than its lease by heartbeating, and merge only trees that pass", async () => {
    const base = await t.upload(calculatorFiles());
    const verify = ["npm test"];
    // Three runs of three tasks each: their merge queues post jobs at the same time.
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        t.api.createRun({ goal: CALCULATOR_GOAL, baseSnapshot: base, plan: calculatorPlan(), verifyCommands: verify }),
      ),
    );
    // One more whose verification outlasts the 8 s lease: only heartbeats keep it with its runner.
    const slow = await t.api.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base,
      plan: calculatorPlan(1),
      verifyCommands: ["sleep 12", "npm test"],
    });

    const stop = new AbortController();
    const events: { runner: string; event: RunnerEvent }[] = [];
    const runners = await Promise.all(
      ["one", "two"].map(async (name) => {
        const { client } = await t.newRunner(name);
        return startRunner({
          client,
          concurrency: 2,
          cacheDir: join(scratch.dir, name, "cache"),
          workspaceRoot: join(scratch.dir, name, "work"),
          signal: stop.signal,
          // Short polls: a poll the stack still holds after the runner stopped can claim a job for it.
          waitSeconds: 1,
          onEvent: (event) => events.push({ runner: name, event }),
        });
      }),
    );
    const finals = await Promise.all([...runs, slow].map((run) => waitForRun(t.api, run.id, 150_000)));
    stop.abort();
    await Promise.all(runners.map((runner) => runner.stopped));
    // Let the polls the stack still holds for the stopped runners end before the next test.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(finals.map((run) => run.status)).toEqual(["completed", "completed", "completed", "completed"]);
    const jobs = (await Promise.all([...runs, slow].map((run) => t.jobsOf(run.id)))).flat();
    // One candidate per task, and one baseline per run (its base snapshot, checked once).
    expect(jobs.filter((job) => job.kind === "candidate")).toHaveLength(10);
    expect(jobs.filter((job) => job.kind === "baseline")).toHaveLength(4);
    for (const job of jobs) expect(job).toMatchObject({ status: "passed", claims: 1, exit_code: 0 });

    const claimed = events.filter(({ event }) => event.type === "claimed");
    const claimedIds = claimed.map(({ event }) => (event.type === "claimed" ? event.job.id : ""));
    expect(new Set(claimedIds).size).toBe(claimedIds.length);
    expect([...claimedIds].sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(events.filter(({ event }) => event.type === "lost" || event.type === "abandoned")).toEqual([]);
    const finished = events.filter(({ event }) => event.type === "finished");
    expect(finished).toHaveLength(14);
    for (const { event } of finished) expect(event).toMatchObject({ result: { passed: true, exitCode: 0 } });

    // The slow job's `sleep 12` outlasted its lease on one runner: heartbeats kept it (claims stays 1 above).
    const slowDone = finished.find(({ event }) => event.type === "finished" && event.job.runId === slow.id);
    expect(slowDone?.event.type === "finished" && slowDone.event.job.leaseSeconds).toBeLessThan(12);

    // Every run's merged tree, checked out afresh, passes the verify commands.
    const { client } = await t.newRunner("checker");
    const cache = createBlobCache(join(scratch.dir, "checker-cache"), (sha) => client.blob(sha));
    for (const run of runs) {
      const result = await t.api.getResult(run.id);
      expect(result.merges).toHaveLength(3);
      const dir = join(scratch.dir, `checked-${run.id}`);
      await mkdir(dir, { recursive: true });
      const { manifest } = await client.snapshot(result.merges.at(-1)?.manifest ?? "");
      await writeTree({ dir, manifest, cache });
      const check = await execCommands({
        commands: verify,
        cwd: dir,
        env: { PATH: process.env.PATH ?? "" },
        timeoutMs: 60_000,
      });
      expect(check.log).toMatch(/# pass [1-9]/);
      expect(check.passed).toBe(true);
    }
  }, 200_000);

  it("stops at once when aborted mid-job: kills the command's processes, frees its workspace, posts nothing", async () => {
    const base = await t.upload(calculatorFiles());
    const pidFile = join(scratch.dir, "abort-pids");
    const run = await t.api.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base,
      plan: calculatorPlan(1),
      verifyCommands: [`echo "$$" > ${pidFile}; sleep 60`],
    });
    const { client } = await t.newRunner("aborted");
    const stop = new AbortController();
    const events: RunnerEvent[] = [];
    const workspaceRoot = join(scratch.dir, "aborted-work");
    const runner = startRunner({
      client,
      cacheDir: join(scratch.dir, "aborted-cache"),
      workspaceRoot,
      signal: stop.signal,
      onEvent: (event) => events.push(event),
    });
    const deadline = Date.now() + 60_000;
    while (!(await readFile(pidFile, "utf8").catch(() => "")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pid = Number(await readFile(pidFile, "utf8"));
    const stoppedAt = Date.now();
    stop.abort();
    await runner.stopped;
    // It did not wait for the 60 s command to end.
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(events.map((e) => e.type)).toEqual(["claimed", "materialised", "abandoned"]);
    // Killed at once; the kernel may take a moment to reap it.
    await expect
      .poll(() => {
        try {
          process.kill(pid, 0);
          return "alive";
        } catch (error) {
          return (error as { code?: string }).code;
        }
      })
      .toBe("ESRCH");
    // The workspace stays warm for the next job, but is no longer held.
    const [key] = await readdir(workspaceRoot);
    expect(await readdir(join(workspaceRoot, key ?? "", "0"))).not.toContain("lock");
    const [job] = await t.jobsOf(run.id);
    // Handed back to the queue at once, for the next runner (no lease to wait out).
    expect(job).toMatchObject({ status: "queued", runner_id: null, claims: 1, exit_code: null });
    await t.api.cancelRun(run.id);
  }, 90_000);

  it("stops with the stack's refusal when its token is not valid, and a runner token reaches only runner routes", async () => {
    const stranger = startRunner({
      client: createRunnerClient({ baseUrl: t.stack.url, token: "bst_runner_not-a-real-token" }),
      cacheDir: join(scratch.dir, "stranger-cache"),
      signal: new AbortController().signal,
    });
    await expect(stranger.stopped).rejects.toMatchObject({ code: "forbidden" });
    const { token } = await t.newRunner("nosy");
    const nosy = createClient({ baseUrl: t.stack.url, token });
    await expect(nosy.listRuns()).rejects.toMatchObject({ code: "forbidden" });
  });
});
