import type { RunView } from "@bernstein/core";
import { CALCULATOR_PLAN, calculatorFiles, calculatorScript, readEvents, uploadSnapshot } from "@bernstein/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

const CYCLIC = {
  tasks: [
    { id: "a", title: "A", description: "a", role: "backend", depends_on: ["b"] },
    { id: "b", title: "B", description: "b", role: "backend", depends_on: ["a"] },
  ],
};
const submit = (plan: unknown) => ({ tools: [{ name: "submit_plan", input: plan as Record<string, unknown> }] });

let t: TestStack | undefined;
afterEach(() => t?.stop());

async function planRun(planTurns: ReturnType<typeof submit>[]): Promise<RunView> {
  t = await startTestStack({ ...calculatorScript(), plan: planTurns });
  const snapshot = await uploadSnapshot(t, calculatorFiles());
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "Add multiply and divide", baseSnapshot: snapshot.sha256 }),
  });
  const run = (await res.json()) as RunView;
  await readEvents(t, run.id);
  return (await (await t.api(`/v1/runs/${run.id}`)).json()) as RunView;
}

describe("planning", () => {
  it("repairs an invalid plan once, with the validation error as the tool's result", async () => {
    const run = await planRun([submit(CYCLIC), submit(CALCULATOR_PLAN)]);
    expect(run.status).toBe("completed");
    expect(run.tasks).toHaveLength(3);
    const plans = t?.model.requests.filter((r) => r.key === "plan") ?? [];
    expect(plans.map((r) => r.turn)).toEqual([0, 1]);
    const repair = JSON.stringify(plans[1]?.body);
    expect(repair).toContain("plan_cycle");
    expect(repair).toContain('"is_error":true');
  }, 60_000);

  it("fails the run with the validation error when the repair is invalid too", async () => {
    const run = await planRun([submit(CYCLIC), submit(CYCLIC)]);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ code: "plan_cycle" });
    expect(run.error?.message).toMatch(/a -> b -> a|b -> a -> b/);
    expect(run.tasks).toEqual([]);
  }, 60_000);
});
