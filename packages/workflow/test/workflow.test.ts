import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { isSpilled, keys, type Spilled, sha256Hex } from "@bernstein/artifacts";
import { errorCodeOf } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { MAX_MODEL_TRIES_PER_STEP, STEP } from "../src/index.js";
import { LARGE_RESULT_CHARS, type Scenario } from "./test-workflow.js";

const RUN = "r_0123456789ab";
let next = 0;

function nextId(scenario: Scenario): string {
  return `${scenario}-${Date.now()}-${next++}`;
}

async function start(scenario: Scenario, id = nextId(scenario)): Promise<WorkflowInstance> {
  return env.TEST_WORKFLOW.create({ id, params: { scenario, runId: RUN } });
}

/** Polls until the instance has completed or errored. */
async function settle(instance: WorkflowInstance) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await instance.status();
    if (status.status === "complete" || status.status === "errored") return status;
    if (Date.now() > deadline) throw new Error(`instance ${instance.id} still ${status.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the "event" scenario has passed its first step and is about to wait. */
async function ready(instance: WorkflowInstance): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await env.ARTIFACTS.head(`ready/${instance.id}`)) === null) {
    if (Date.now() > deadline) throw new Error(`instance ${instance.id} never got ready`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function attempts(instance: WorkflowInstance, step: string): Promise<number> {
  return (await env.ARTIFACTS.list({ prefix: `attempts/${instance.id}/${step}/` })).objects.length;
}

describe("doStep in a real Workflow", () => {
  it("retries a transient failure until the step succeeds", async () => {
    // RETRY.model waits 2 s, then 4 s: the pool's introspection skips the waits, not the retries.
    const id = nextId("flaky");
    await using introspector = await introspectWorkflowInstance(env.TEST_WORKFLOW, id);
    await introspector.modify(async (m) => {
      await m.disableRetryDelays();
    });
    const instance = await start("flaky", id);
    const status = await settle(instance);
    expect(status.status).toBe("complete");
    expect(status.output).toEqual({ attempts: 3 });
    expect(await attempts(instance, STEP.turn(1))).toBe(3);
  }, 30_000);

  it("fails the instance at once on a permanent error, with the code in the message", async () => {
    const instance = await start("permanent");
    const status = await settle(instance);
    expect(status.status).toBe("errored");
    expect(status.error).toEqual({ name: "Error", message: "plan_cycle: t1 -> t2 -> t1" });
    expect(errorCodeOf(new Error(status.error?.message))).toBe("plan_cycle");
    expect(await attempts(instance, STEP.plan)).toBe(1);
  });

  it("lets the workflow catch a permanent error and read its code back", async () => {
    const instance = await start("caught");
    const status = await settle(instance);
    expect(status.output).toEqual({
      code: "budget_exhausted",
      name: "Error",
      message: "budget_exhausted: spent $5.00 of $5.00",
    });
    expect(await attempts(instance, STEP.report)).toBe(1);
  });

  it("retries an unknown error per the preset, with its backoff, then surfaces it as internal", async () => {
    const started = Date.now();
    const instance = await start("exhausted");
    const status = await settle(instance);
    // RETRY.storage: 3 retries, 250 ms doubling: at least 250 + 500 + 1000 ms of waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_750);
    expect(status.output).toMatchObject({ code: "internal", message: "internal: socket hang up" });
    expect(await attempts(instance, STEP.report)).toBe(4);
  });

  it("spills a 2 MiB step result to R2, keeps the step result a small pointer, and returns it intact", async () => {
    const instance = await start("large");
    const status = await settle(instance);
    expect(status.status).toBe("complete");
    const expected = "x".repeat(LARGE_RESULT_CHARS - 1).concat("\n");
    expect(status.output).toEqual({ chars: LARGE_RESULT_CHARS, sha256: await sha256Hex(expected), files: ["a.txt"] });

    const raw = await stepResult(instance, STEP.patch);
    expect(JSON.stringify(raw).length).toBeLessThan(256);
    if (!isSpilled(raw)) throw new Error(`expected a spill pointer, got ${JSON.stringify(raw).slice(0, 100)}`);
    const json = JSON.stringify({ patch: expected, files: ["a.txt"] });
    expect(raw.spilled).toEqual({
      key: keys.spill(RUN, await sha256Hex(json)),
      sha256: await sha256Hex(json),
      bytes: json.length,
    });
    expect((await env.ARTIFACTS.head(raw.spilled.key))?.size).toBe(json.length);
  });

  it("keeps a small result inline", async () => {
    const instance = await start("small");
    const status = await settle(instance);
    expect(status.output).toMatchObject({ chars: 100 });
    expect(await stepResult(instance, STEP.patch)).toEqual({
      inline: { patch: `${"x".repeat(99)}\n`, files: ["a.txt"] },
    });
  });
});

describe("RETRY.model: the one retry layer of a model turn", () => {
  async function requestTimes(instance: WorkflowInstance): Promise<number[]> {
    const listed = await env.ARTIFACTS.list({ prefix: `requests/${instance.id}/` });
    const keys = listed.objects.map((o) => o.key).sort();
    return Promise.all(keys.map(async (key) => Number(await (await env.ARTIFACTS.get(key))?.text())));
  }

  it(`makes at most ${MAX_MODEL_TRIES_PER_STEP} HTTP requests per turn against a model that stays down`, async () => {
    const id = nextId("model-down");
    await using introspector = await introspectWorkflowInstance(env.TEST_WORKFLOW, id);
    await introspector.modify(async (m) => {
      await m.disableRetryDelays();
    });
    const instance = await start("model-down", id);
    const status = await settle(instance);
    expect(status.output).toEqual({ code: "model_unavailable" });
    expect(MAX_MODEL_TRIES_PER_STEP).toBe(7);
    expect(await requestTimes(instance)).toHaveLength(MAX_MODEL_TRIES_PER_STEP);
  }, 30_000);

  it("stops at once when the provider says not to retry", async () => {
    const instance = await start("model-final");
    const status = await settle(instance);
    expect(status.output).toEqual({ code: "model_unavailable" });
    expect(await requestTimes(instance)).toHaveLength(1);
  });

  it("waits what retry-after asks before the step's next try", async () => {
    const id = nextId("retry-after");
    await using introspector = await introspectWorkflowInstance(env.TEST_WORKFLOW, id);
    await introspector.modify(async (m) => {
      await m.disableRetryDelays(); // only the retry-after wait is left
    });
    const instance = await start("retry-after", id);
    const status = await settle(instance);
    expect(status.output).toEqual({ reply: { text: [{ type: "text", text: "ok" }] } });
    const [first, second] = await requestTimes(instance);
    // A lower bound only: the wait cannot end before the second the server asked for.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1_000);
  }, 30_000);
});

describe("waitForTypedEvent", () => {
  it("returns a payload that passes the schema, parsed (defaults applied)", async () => {
    const instance = await start("event");
    await ready(instance);
    await instance.sendEvent({ type: "usage", payload: { inputTokens: 10, outputTokens: 5 } });
    const status = await settle(instance);
    expect(status.output).toEqual({
      type: "usage",
      payload: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it("refuses a payload that fails the schema with bad_request", async () => {
    const instance = await start("event");
    await ready(instance);
    await instance.sendEvent({ type: "usage", payload: { inputTokens: -1 } });
    const status = await settle(instance);
    expect(status.output).toMatchObject({ code: "bad_request" });
    expect((status.output as { message: string }).message).toContain('payload of event "usage" is invalid');
  });
});

describe("a step's RPC result", () => {
  it("carries a disposer under Miniflare, and doStep releases it once, keeping the value", async () => {
    const done = await settle(await start("disposed"));
    expect(done.status).toBe("complete");
    expect(done.output).toEqual({ carried: true, disposed: 1, value: { files: ["a.txt"] } });
  });
});

describe("the step journal", () => {
  it("returns a journaled result without running the step again, unless told not to journal it", async () => {
    const first = await settle(await start("journaled"));
    expect(first.output).toEqual({ kept: 1, skipped: 1 });
    // A second instance with the same journal plays an attempt restarted from its first step.
    const second = await settle(await start("journaled"));
    expect(second.output).toEqual({ kept: 1, skipped: 2 });
  });

  it("finds the journal of a restarted instance through the head of its first step", async () => {
    const first = await settle(await start("journaled-first"));
    expect(first.output).toEqual({ kept: 1, skipped: 1 });
    const second = await settle(await start("journaled-first"));
    expect(second.output).toEqual({ kept: 1, skipped: 2 });
  });

  it("reads nothing for an instance that never ran before, and replays for one that did", async () => {
    const first = await settle(await start("journaled-fresh"));
    expect(first.output).toEqual({ kept: 1, skipped: 1 });
    // Told it is fresh, an instance runs its steps even where the journal holds a result.
    const fresh = await settle(await start("journaled-fresh"));
    expect(fresh.output).toEqual({ kept: 2, skipped: 2 });
    const resumed = await settle(await start("journaled-resumed"));
    expect(resumed.output).toEqual({ kept: 2, skipped: 3 });
  });
});

/** The raw, cached result of a step (what Workflows persisted), via the pool's introspection. */
async function stepResult(instance: WorkflowInstance, name: string): Promise<Spilled<unknown>> {
  await using introspector = await introspectWorkflowInstance(env.TEST_WORKFLOW, instance.id);
  return (await introspector.waitForStepResult({ name })) as Spilled<unknown>;
}
