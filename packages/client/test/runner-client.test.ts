import type { RunEvent } from "@bernstein/core";
import { calculatorScript, caughtError } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createRunnerClient, type RunnerClient, registerRunner } from "../src/index.js";
import { startTestStack, type TestStack, TOKEN } from "./support/stack.js";

let t: TestStack;
let runner: RunnerClient;
let runnerToken: string;

beforeAll(async () => {
  t = await startTestStack(calculatorScript());
  const created = await registerRunner(
    { baseUrl: t.stack.url, token: TOKEN },
    { name: "client-test", labels: ["linux"] },
  );
  expect(created).toMatchObject({ name: "client-test", labels: ["linux"] });
  runnerToken = created.token;
  runner = createRunnerClient({ baseUrl: t.stack.url, token: runnerToken });
});
afterAll(() => t?.stop());

describe("the runner client against the local stack", () => {
  it("answers null when the long poll finds no job", async () => {
    expect(await runner.claim({ waitSeconds: 0 })).toBeNull();
  });

  it("keeps a runner token out of the owner's routes", async () => {
    const asRunner = createClient({ baseUrl: t.stack.url, token: runnerToken });
    expect((await caughtError(asRunner.listRuns())).code).toBe("forbidden");
    expect((await caughtError(registerRunner({ baseUrl: t.stack.url, token: runnerToken }, { name: "x" }))).code).toBe(
      "forbidden",
    );
  });

  it("reports a job it does not hold as conflict", async () => {
    expect((await caughtError(runner.heartbeat("j_unknown"))).code).toBe("conflict");
    expect((await caughtError(runner.release("j_unknown"))).code).toBe("conflict");
  });

  it("claims a verification, reads its tree, reports it, and the run goes on", async () => {
    const run = await t.startCalculatorRun({ verifyCommands: ["npm test"] });
    // The integration tree's baseline comes with the first candidate: report it, then take the candidate.
    let job = await runner.claim({ waitSeconds: 20 });
    while (job?.kind === "baseline") {
      expect(job).toMatchObject({ runId: run.id, taskId: null, attempt: null, signals: [] });
      await runner.uploadLog(job.id, "ok 1 - baseline\n");
      await runner.postResult(job.id, { passed: true, exitCode: 0, timedOut: false, durationMs: 3, tail: "" });
      job = await runner.claim({ waitSeconds: 20 });
    }
    expect(job).not.toBeNull();
    if (!job) return;
    expect(job).toMatchObject({ runId: run.id, kind: "candidate", commands: ["npm test"] });
    // Handing it back puts it first in the queue again.
    await runner.release(job.id);
    job = await runner.claim({ waitSeconds: 5 });
    if (!job) throw new Error("the released job was not claimable again");
    const { manifest } = await runner.snapshot(job.manifest);
    const [path, entry] = Object.entries(manifest)[0] ?? [];
    expect(path).toBeDefined();
    expect((await runner.blob(entry?.sha256 ?? "")).byteLength).toBe(entry?.size);
    expect((await runner.heartbeat(job.id)).leaseExpiresAt).toMatch(/Z$/);
    await runner.uploadLog(job.id, "ok 1 - tests pass\n");
    await runner.postResult(job.id, { passed: true, exitCode: 0, timedOut: false, durationMs: 12, tail: "ok" });
    expect((await caughtError(runner.heartbeat(job.id))).code).toBe("conflict");
    expect(await t.client.taskLogs(job.taskId ?? "", job.attempt ?? 1)).toBe("ok 1 - tests pass\n");
    const events: RunEvent[] = [];
    for await (const event of t.client.events(run.id)) {
      events.push(event);
      if (event.type === "merge.applied") break;
    }
    expect(events.some((e) => e.type === "merge.applied" && e.taskId === job?.taskId)).toBe(true);
    await t.client.cancelRun(run.id);
  }, 60_000);
});
