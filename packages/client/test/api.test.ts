import type { RunEvent, RunView } from "@bernstein/core";
import { CALCULATOR_TASKS, calculatorScript, caughtError } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../src/index.js";
import { startTestStack, type TestStack, TOKEN } from "./support/stack.js";

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack(calculatorScript());
});
afterAll(() => t?.stop());

async function untilEnd(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of t.client.events(runId)) events.push(event);
  return events;
}

describe("the client against the local stack", () => {
  let run: RunView;

  it("reads a finished run: view, list, tasks, attempts, result, artifacts and cost", async () => {
    run = await t.startCalculatorRun();
    await untilEnd(run.id);
    const { client } = t;
    const done = await client.getRun(run.id);
    expect(done.status).toBe("completed");
    expect(done.tasks.map((task) => task.status)).toEqual(["merged", "merged", "merged"]);
    expect((await client.listRuns()).map((r) => r.id)).toContain(run.id);
    const tasks = await client.listTasks(run.id);
    expect(tasks.map((task) => task.title).sort()).toEqual(Object.values(CALCULATOR_TASKS).sort());
    const view = await client.getTask(tasks[0]?.id as string);
    expect(view.attempts[0]).toMatchObject({ n: 1, status: "succeeded" });
    const result = await client.getResult(run.id);
    expect(result.merges).toHaveLength(3);
    const plan = JSON.parse(new TextDecoder().decode(await client.getArtifact(`runs/${run.id}/plan.json`)));
    expect(plan.tasks).toHaveLength(3);
    const cost = await client.cost(run.id);
    expect(cost.totalUsd).toBeCloseTo(done.spentUsd, 6);
    expect(Object.keys(cost.byRole).sort()).toEqual(["backend", "docs"]);
    expect(cost.events.length).toBeGreaterThan(0);
    expect((await client.cost()).byRun[run.id]).toBeCloseTo(done.spentUsd, 6);
  });

  it("turns error answers into BernsteinErrors that never carry the token", async () => {
    const missing = await caughtError(t.client.getRun("r_000000000000"));
    expect(missing).toMatchObject({ code: "not_found", message: "no run r_000000000000", details: { status: 404 } });
    const wrong = await caughtError(createClient({ baseUrl: t.stack.url, token: "not-the-token" }).listRuns());
    expect(wrong.code).toBe("forbidden");
    const none = await caughtError(createClient({ baseUrl: t.stack.url }).listRuns());
    expect(none.code).toBe("unauthorized");
    for (const error of [missing, wrong, none]) {
      expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(TOKEN);
    }
  });

  it("puts and gets raw blob bytes, and the stack refuses a wrong hash", async () => {
    const { createHash } = await import("node:crypto");
    // A Buffer carved out of Node's shared pool must send only its own bytes.
    const bytes = Buffer.from(`xx${"blob for the client test "}${Date.now()}`).subarray(2);
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(await t.client.missingBlobs([sha])).toEqual([sha]);
    expect(await t.client.putBlob(sha, bytes)).toEqual({ sha256: sha, bytes: bytes.length });
    expect(Buffer.from(await t.client.getBlob(sha)).equals(bytes)).toBe(true);
    expect(await t.client.missingBlobs([sha])).toEqual([]);
    const refused = await caughtError(t.client.putBlob("0".repeat(64), bytes));
    expect(refused.code).toBe("hash_mismatch");
  });

  it("cancels a running task; cancelling a merged one is an illegal transition", async () => {
    const release = t.model.hold(); // multiply cannot finish before it is cancelled
    const live = await t.startCalculatorRun();
    const multiply = live.tasks.find((task) => task.title === CALCULATOR_TASKS.multiply);
    for await (const event of t.client.events(live.id)) {
      if (event.taskId === multiply?.id && event.type === "attempt.started") break;
    }
    const cancelled = await t.client.cancelTask(multiply?.id as string);
    release();
    expect(cancelled).toMatchObject({ id: multiply?.id, status: "cancelled" });
    await untilEnd(live.id);
    const merged = live.tasks.find((task) => task.title === CALCULATOR_TASKS.divide);
    const finished = await caughtError(t.client.cancelTask(merged?.id as string));
    expect(finished).toMatchObject({ code: "illegal_transition", details: { status: 409 } });
    const ended = await t.client.getRun(live.id);
    expect(ended.status).toBe("failed");
    expect(ended.tasks.find((task) => task.title === CALCULATOR_TASKS.docs)?.status).toBe("blocked");
  });

  it("approves, rejects and retries tasks waiting for approval; reads logs and adds budget", async () => {
    const live = await t.startCalculatorRun({ approveAll: true, budgetUsd: 5 });
    const byTitle = (title: string) => live.tasks.find((task) => task.title === title)?.id as string;
    const [multiply, divide] = [byTitle(CALCULATOR_TASKS.multiply), byTitle(CALCULATOR_TASKS.divide)];
    const waiting = new Set<string>();
    for await (const event of t.client.events(live.id)) {
      if (event.type === "task.status" && event.data.to === "pending_approval" && event.taskId)
        waiting.add(event.taskId);
      if (waiting.has(multiply) && waiting.has(divide)) break;
    }
    const approved = await t.client.approveTask(multiply);
    expect(["done", "merged"]).toContain(approved.status);
    const rejected = await t.client.rejectTask(divide, "divide by zero must throw");
    expect(rejected).toMatchObject({
      status: "failed",
      error: { code: "rejected", message: "divide by zero must throw" },
    });
    const again = await caughtError(t.client.approveTask(divide));
    expect(again).toMatchObject({ code: "illegal_transition", details: { status: 409 } });
    const retried = await t.client.retryTask(divide);
    expect(["open", "claimed", "in_progress"]).toContain(retried.status);
    expect(retried.attempt).toBe(retried.status === "open" ? 1 : 2); // claimed at once when a slot is free

    const noLog = await caughtError(t.client.taskLogs(multiply));
    expect(noLog.code).toBe("not_found");
    expect((await caughtError(t.client.taskLogs(multiply, 9))).message).toContain("has no attempt 9");

    const raised = await t.client.addBudget(live.id, 2.5);
    expect(raised.budgetUsd).toBe(7.5);
    await t.client.cancelRun(live.id);
  });
});
