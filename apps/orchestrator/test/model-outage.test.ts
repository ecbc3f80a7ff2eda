import type { RunEvent, RunView, TaskView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
  readEvents,
  type UploadedSnapshot,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_KEY, startTestStack, type TestStack } from "./support/stack.js";

// Outages of the model on the real local stack: the scripted model is taken down (503, 529,
// unreachable, 401) and brought back. Assertions are on states and events; how long each wait
// lasted is printed, never asserted.

/** A hang guard, far above what any of these waits takes. */
const GUARD_MS = 150_000;

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${text}`);
  expect(text).not.toContain(MODEL_KEY);
  return JSON.parse(text) as T;
}

async function createRun(t: TestStack, snapshot: UploadedSnapshot): Promise<RunView> {
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: CALCULATOR_GOAL, baseSnapshot: snapshot.sha256, plan: CALCULATOR_PLAN }),
  });
  expect(res.status).toBe(201);
  return json<RunView>(res);
}

/** Polls `check` until it returns a value (not undefined), or fails after the guard. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + GUARD_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The run's events so far: the SSE replay, read for a moment and then dropped. */
async function eventsSoFar(t: TestStack, runId: string): Promise<RunEvent[]> {
  const controller = new AbortController();
  const res = await t.api(`/v1/runs/${runId}/events?after=0`, { signal: controller.signal });
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no event stream");
  const decoder = new TextDecoder();
  let text = "";
  const stop = setTimeout(() => controller.abort(), 750);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(stop);
  }
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice("data: ".length)) as RunEvent);
}

const getRun = (t: TestStack, runId: string) => t.api(`/v1/runs/${runId}`).then((r) => json<RunView>(r));

async function attemptCounts(t: TestStack, run: RunView): Promise<number[]> {
  const views = await Promise.all(run.tasks.map((task) => t.api(`/v1/tasks/${task.id}`).then(json<TaskView>)));
  return views.map((view) => view.attempts.length);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function report(line: string): void {
  // biome-ignore lint/suspicious/noConsole: the figures the issue asks for (measured, not asserted)
  console.log(`model outage: ${line}`);
}

describe("a model that is down for a while", () => {
  let t: TestStack;
  let snapshot: UploadedSnapshot;
  beforeAll(async () => {
    t = await startTestStack(calculatorScript());
    snapshot = await uploadSnapshot(t, calculatorFiles());
  });
  afterAll(() => t?.stop());

  it("shows model.retrying, uses up no attempt, and completes once the model is back", async () => {
    const lift = t.model.outage(503);
    const downAt = Date.now();
    const run = await createRun(t, snapshot);
    const first = await waitFor("the first model.retrying event", async () =>
      (await eventsSoFar(t, run.id)).find((e) => e.type === "model.retrying"),
    );
    const firstSeenAt = Date.now();
    expect(first.data).toMatchObject({ provider: "anthropic", status: 503, code: "model_unavailable" });
    expect(first.data.retry_in).toBeGreaterThan(0);
    // Down for a while longer: several tries fail, none of them fails a step or an attempt.
    await waitFor("several failed tries", async () =>
      t.model.requests.filter((r) => r.key === "outage").length >= 6 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 15_000 - Math.min(15_000, Date.now() - downAt)));
    const liftedAt = Date.now();
    const during = await getRun(t, run.id);
    expect(during.status).toBe("running");
    expect(during.tasks.some((task) => task.status === "failed")).toBe(false);
    lift();

    const events = await readEvents(t, run.id, 0, GUARD_MS);
    const endedAt = Date.now();
    const done = await getRun(t, run.id);
    expect(done.status).toBe("completed");
    expect(done.tasks.every((task) => task.status === "merged")).toBe(true);
    expect(await attemptCounts(t, done)).toEqual(done.tasks.map(() => 1));
    const retrying = events.filter((e) => e.type === "model.retrying");
    expect(retrying.length).toBeGreaterThanOrEqual(1);
    // Throttled per run: fewer events than failed tries.
    const failedTries = t.model.requests.filter((r) => r.key === "outage").length;
    expect(retrying.length).toBeLessThan(failedTries);
    expect(events.some((e) => e.type === "model.available" && e.data.resumed === false)).toBe(true);
    expect(events.some((e) => e.type === "run.status" && e.data.to === "paused")).toBe(false);
    expect(events.some((e) => e.type === "attempt.finished" && e.data.outcome === "failed")).toBe(false);
    const available = events.find((e) => e.type === "model.available");
    report(
      `down ${seconds(liftedAt - downAt)}; first model.retrying seen ${seconds(firstSeenAt - downAt)} after it went down ` +
        `(event at +${seconds(Date.parse(first.at) - downAt)}); ${failedTries} failed tries, ${retrying.length} model.retrying events; ` +
        `model.available at +${seconds(Date.parse(available?.at ?? "") - downAt)} (${String(available?.data.down_s)} s down as the run saw it); ` +
        `completed ${seconds(endedAt - liftedAt)} after the model came back`,
    );
  }, 240_000);
});

describe("a model that stays down past the threshold", () => {
  let t: TestStack;
  let snapshot: UploadedSnapshot;
  beforeAll(async () => {
    // 0.1 min: the run pauses after 6 s of continuous failures.
    t = await startTestStack(calculatorScript(), { BERNSTEIN_MODEL_UNAVAILABLE_MINUTES: "0.1" });
    snapshot = await uploadSnapshot(t, calculatorFiles());
  });
  afterAll(() => t?.stop());

  it("pauses the run as model_unavailable, keeps probing, and resumes it by itself", async () => {
    const lift = t.model.outage("reset");
    const downAt = Date.now();
    const run = await createRun(t, snapshot);
    const paused = await waitFor("the model_unavailable pause", async () => {
      const view = await getRun(t, run.id);
      return view.status === "paused" ? view : undefined;
    });
    const pausedAt = Date.now();
    expect(paused.error).toMatchObject({ code: "model_unavailable", details: { provider: "anthropic", status: null } });
    // Paused, it goes on probing the model.
    const probes = t.model.requests.filter((r) => r.key === "outage").length;
    await waitFor("a probe after the pause", async () =>
      t.model.requests.filter((r) => r.key === "outage").length > probes ? true : undefined,
    );
    const stillPaused = await getRun(t, run.id);
    expect(stillPaused.status).toBe("paused");
    const liftedAt = Date.now();
    lift();

    const events = await readEvents(t, run.id, 0, GUARD_MS);
    const endedAt = Date.now();
    const done = await getRun(t, run.id);
    expect(done.status).toBe("completed");
    expect(await attemptCounts(t, done)).toEqual(done.tasks.map(() => 1));
    const statuses = events.filter((e) => e.type === "run.status").map((e) => e.data.to);
    expect(statuses).toEqual(["running", "paused", "running", "completed"]);
    const pause = events.find((e) => e.type === "run.status" && e.data.to === "paused");
    expect(pause?.data.error).toMatchObject({ code: "model_unavailable" });
    expect(events.find((e) => e.type === "model.retrying")?.data).toMatchObject({
      provider: "anthropic",
      status: null,
    });
    const available = events.find((e) => e.type === "model.available");
    expect(available?.data).toMatchObject({ provider: "anthropic", resumed: true });
    report(
      `unreachable; paused ${seconds(pausedAt - downAt)} after it went down (threshold 6 s); ` +
        `lifted ${seconds(liftedAt - downAt)} after; model.available at +${seconds(Date.parse(available?.at ?? "") - downAt)}; ` +
        `completed ${seconds(endedAt - liftedAt)} after the model came back`,
    );
  }, 240_000);
});

describe("a model that refuses the key", () => {
  let t: TestStack;
  let snapshot: UploadedSnapshot;
  beforeAll(async () => {
    t = await startTestStack(calculatorScript());
    snapshot = await uploadSnapshot(t, calculatorFiles());
  });
  afterAll(() => t?.stop());

  it("fails the attempts at once with the provider's reason, without retrying or waiting", async () => {
    t.model.outage(401);
    const run = await createRun(t, snapshot);
    const events = await readEvents(t, run.id, 0, GUARD_MS);
    const done = await getRun(t, run.id);
    expect(done.status).toBe("failed");
    const failed = done.tasks.filter((task) => task.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const task of failed) {
      expect(task.error?.code).toBe("model_auth");
      expect(task.error?.message).toContain("invalid x-api-key");
      expect(task.error?.message).toContain("ANTHROPIC_API_KEY");
    }
    // One request per attempt: no step retries, no new attempt, no outage.
    const attempts = (await attemptCounts(t, done)).reduce((a, b) => a + b, 0);
    expect(t.model.requests.filter((r) => r.key === "outage")).toHaveLength(attempts);
    expect(events.some((e) => e.type === "model.retrying")).toBe(false);
    expect(JSON.stringify(events)).not.toContain(MODEL_KEY);
  }, 120_000);
});
