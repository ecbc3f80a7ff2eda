import { createHash } from "node:crypto";
import { CreateRunRequest, makeId, parseWith, type RunView } from "@bernstein/core";
import { readEvents, uploadSnapshot } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viewResponse } from "../src/runs/view-response.js";
import { readModel } from "./support/d1-rows.js";
import { startTestStack, type TestStack } from "./support/stack.js";

// Creating a run of a large plan, in the parts that keep the stack answering meanwhile.
// A given plan is staged: its tasks are stored 100 per transaction of the coordinator's SQLite
// while the run stays `planning`, then accepted in one more. A staging cut short (here by the
// test hook PLAN_STAGE_STOP_AT, as if the object stopped) shows nothing: no run in D1, no
// task; the create retried with its idempotency key finishes it, and the run has every task
// once and one `plan.accepted`. The tasks' schema runs a slice at a time: the same 400s. The
// view the create answers with is written a slice of tasks at a time: the same JSON.

const TASKS = 1_000;
const STOP_AT = 250;
const title = (i: number) => `staged task ${String(i).padStart(4, "0")}`;
const plan = {
  tasks: Array.from({ length: TASKS }, (_, i) => ({
    id: `t${i}`,
    title: title(i),
    description: `Task ${i}.`,
    owned_files: [`f/${i}.txt`],
    ...(i > 0 ? { depends_on: [`t${i - 1}`] } : {}),
  })),
};

let t: TestStack;
let snapshot: string;

beforeAll(async () => {
  // Slow answers: no task finishes while the test looks at the run.
  const tasks = Object.fromEntries(
    plan.tasks.map((task) => [task.title, [{ delayMs: 30_000, tools: [{ name: "finish", input: {} }] }]]),
  );
  t = await startTestStack({ tasks }, { PLAN_STAGE_STOP_AT: String(STOP_AT) });
  snapshot = (await uploadSnapshot(t, { "README.md": "# Staged\n" })).sha256;
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

const create = (body: Record<string, unknown>) =>
  t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "staged", baseSnapshot: snapshot, maxAgents: 2, ...body }),
  });

async function listedRuns(): Promise<string[]> {
  const res = await t.api("/v1/runs?limit=200");
  return ((await res.json()) as { runs: { id: string }[] }).runs.map((r) => r.id);
}

describe("a plan staged before it is accepted", () => {
  it("shows nothing while a staging cut short waits, and its retried create finishes it once", async () => {
    const key = "staging-cut-short-0001";
    const before = await listedRuns();
    const cut = await create({ plan, idempotencyKey: key });
    expect(cut.status).toBe(500);
    expect(await cut.json()).toMatchObject({ error: { code: "internal" } });
    // Nothing of the run reached D1: not in the run list, no row of it (its id comes from the key).
    expect(await listedRuns()).toEqual(before);
    const runId = makeId("r", new Uint8Array(createHash("sha256").update(`run:${key}`).digest()));
    expect(await readModel(t.stack.miniflare, runId)).toMatchObject({ runs: [], tasks: [], events: [] });

    const retried = await create({ plan, idempotencyKey: key });
    expect(retried.status).toBe(200);
    const run = (await retried.json()) as RunView;
    expect(run.id).toBe(runId);
    expect(run.status).toBe("running");
    expect(run.tasks.map((task) => task.planId)).toEqual(plan.tasks.map((task) => task.id));
    expect(new Set(run.tasks.map((task) => task.id)).size).toBe(TASKS);
    expect(run.tasks.map((task) => task.order)).toEqual(plan.tasks.map((_, i) => i));

    const again = await create({ plan, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(((await again.json()) as RunView).tasks.map((task) => task.id)).toEqual(run.tasks.map((task) => task.id));

    expect(await listedRuns()).toContain(run.id);
    await expect
      .poll(async () => (await readModel(t.stack.miniflare, run.id)).tasks?.map((row) => row.id), { timeout: 30_000 })
      .toEqual(run.tasks.map((task) => task.id));
    // The log, read whole once the run ended: the plan was accepted once, with every task.
    await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" });
    const accepted = (await readEvents(t, run.id)).filter((event) => event.type === "plan.accepted");
    expect(accepted.map((event) => event.data)).toEqual([{ tasks: TASKS }]);
  }, 120_000);

  it("is stored whole and once when nothing cuts it short", async () => {
    // The hook stops a staging that crosses STOP_AT tasks; a plan below it is staged whole.
    const small = { tasks: plan.tasks.slice(0, STOP_AT - 1) };
    const first = await create({ plan: small, idempotencyKey: "staging-whole-0001" });
    expect(first.status).toBe(201);
    const run = (await first.json()) as RunView;
    expect(run.status).toBe("running");
    expect(run.tasks).toHaveLength(STOP_AT - 1);
    const again = await create({ plan: small, idempotencyKey: "staging-whole-0001" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as RunView).tasks).toHaveLength(STOP_AT - 1);
    await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" });
  }, 60_000);

  it("refuses a bad task anywhere in a large plan as the whole request's schema does", async () => {
    const bad = {
      tasks: plan.tasks.map((task, i) =>
        i === 700 ? { ...task, title: "" } : i === 901 ? { ...task, priority: 12, colour: "red" } : task,
      ),
    };
    const body = { goal: "staged", baseSnapshot: snapshot, maxAgents: 2, plan: bad };
    const expected = (() => {
      try {
        parseWith(CreateRunRequest, body);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("the schema accepted the bad plan");
    })();
    expect(expected).toMatch(/plan\.tasks\.700\.title/);
    const res = await create({ plan: bad });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "invalid_body", message: expected } });
  }, 60_000);
});

describe("the view a create answers with", () => {
  it("is the view's JSON, written a slice of tasks at a time", async () => {
    const run = { id: "r_x", goal: 'a "goal"', status: "running", seq: 3, error: null };
    for (const count of [0, 1, 249, 250, 251, 1_000]) {
      const tasks = Array.from({ length: count }, (_, i) => ({
        id: `t${i}`,
        title: `task ${i}\n`,
        dependsOn: [`t${i - 1}`],
      }));
      const view = { ...run, tasks };
      const res = viewResponse(view, 201);
      expect(res.status).toBe(201);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(JSON.parse(await res.text())).toEqual(JSON.parse(JSON.stringify(view)));
    }
  });
});
