import type { CostReport, RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  CALCULATOR_TASKS,
  calculatorFiles,
  calculatorScript,
  readEvents,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(calculatorScript());
});
afterAll(() => t?.stop());

const requestsOf = (key: string) => t.model.requests.filter((r) => r.key === key);

describe("cancelling a run", () => {
  it("ends every unfinished task cancelled, merges nothing after, and leaves the stack usable", async () => {
    const snapshot = await uploadSnapshot(t, calculatorFiles());
    const create = (key: string) =>
      t.api("/v1/runs", {
        method: "POST",
        body: JSON.stringify({
          goal: CALCULATOR_GOAL,
          baseSnapshot: snapshot.sha256,
          plan: CALCULATOR_PLAN,
          idempotencyKey: key,
        }),
      });
    // Both independent tasks' first model calls are held in flight: the cancel lands mid-turn,
    // and their usage arrives after the run has ended.
    const release = t.model.hold();
    const run = (await (await create("cancel-run-0001")).json()) as RunView;
    const inFlight = () => requestsOf(CALCULATOR_TASKS.multiply).length + requestsOf(CALCULATOR_TASKS.divide).length;
    await expect.poll(inFlight, { timeout: 30_000 }).toBe(2);
    const cancelled = (await (await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" })).json()) as RunView;
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.tasks.every((task) => task.status === "cancelled")).toBe(true);
    release();

    // The late usage is recorded as rows (cost, run total), without an event after the end.
    await expect
      .poll(async () => ((await (await t.api(`/v1/runs/${run.id}/cost`)).json()) as CostReport).events.length, {
        timeout: 30_000,
      })
      .toBe(2);
    const cost = (await (await t.api(`/v1/runs/${run.id}/cost`)).json()) as CostReport;
    const after = (await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView;
    expect(after.spentUsd).toBeGreaterThan(0);
    expect(after.spentUsd).toBeCloseTo(cost.totalUsd, 6);
    const events = await readEvents(t, run.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "cancelled" } }); // the stream closes with the cancel
    expect(events.filter((e) => e.type === "run.status" && e.data.to === "cancelled")).toHaveLength(1);
    expect(events.some((e) => e.type === "merge.applied")).toBe(false);
    // Nothing more may happen to the ended run: more budget is refused, and adds no event.
    const late = await t.api(`/v1/runs/${run.id}/budget`, { method: "POST", body: JSON.stringify({ addUsd: 1 }) });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: "illegal_transition" } });
    expect((await readEvents(t, run.id)).length).toBe(events.length);

    // The attempts notice at their next step boundary and end cancelled.
    await expect
      .poll(
        async () => {
          const view = (await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView;
          const attempts = await Promise.all(
            view.tasks.map(
              async (task) =>
                ((await (await t.api(`/v1/tasks/${task.id}`)).json()) as { attempts: { status: string }[] }).attempts,
            ),
          );
          return attempts.flat().map((a) => a.status);
        },
        { timeout: 10_000 },
      )
      .toSatisfy((statuses: string[]) => statuses.every((s) => s === "cancelled"));

    const next = (await (await create("cancel-run-0002")).json()) as RunView;
    expect((await readEvents(t, next.id)).at(-1)).toMatchObject({ data: { to: "completed" } });
  }, 60_000);

  it("cancels one task: its dependents are blocked, the others go on, and a finished task cannot be cancelled", async () => {
    const snapshot = await uploadSnapshot(t, calculatorFiles());
    const release = t.model.hold();
    const seen = requestsOf(CALCULATOR_TASKS.divide).length; // the first test's
    const res = await t.api("/v1/runs", {
      method: "POST",
      body: JSON.stringify({ goal: CALCULATOR_GOAL, baseSnapshot: snapshot.sha256, plan: CALCULATOR_PLAN }),
    });
    const run = (await res.json()) as RunView;
    const [multiply, divide, docs] = run.tasks;
    const cancel = (id: string | undefined) => t.api(`/v1/tasks/${id}/cancel`, { method: "POST" });
    // divide is cancelled while its first model call is held in flight.
    await expect.poll(() => requestsOf(CALCULATOR_TASKS.divide).length, { timeout: 30_000 }).toBeGreaterThan(seen);
    const cancelled = (await (await cancel(divide?.id)).json()) as { status: string };
    release();
    expect(cancelled.status).toBe("cancelled");

    const events = await readEvents(t, run.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "failed" } });
    const final = (await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView;
    expect(final.tasks.map((task) => [task.id, task.status])).toEqual([
      [multiply?.id, "merged"],
      [divide?.id, "cancelled"],
      [docs?.id, "blocked"],
    ]);
    const again = await cancel(multiply?.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "illegal_transition" } });
  }, 60_000);
});
