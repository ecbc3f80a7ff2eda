import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { BudgetAnswer, ErrorJson } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import type { OutageLoopParams, Tried, Try } from "./outage-loop-workflow.js";

// The one model-call loop of planning and of an agent's turns (`callUntilAnswered`), in a real
// Workflow: sleeps are skipped and the budget event is delivered by the pool's introspection.

const RUN = "r_0123456789ab";
let next = 0;

interface Output {
  answer: { kind: string; text?: string; error?: unknown };
  tries: Tried[];
}

async function play(
  naming: OutageLoopParams["naming"],
  script: Try[],
  options: { budget?: BudgetAnswer; journalOf?: string } = {},
): Promise<Output> {
  const id = `loop-${naming}-${Date.now()}-${next++}`;
  const introspector = await introspectWorkflowInstance(env.OUTAGE_LOOP, id);
  try {
    await introspector.modify(async (m) => {
      await m.disableSleeps();
      if (options.budget) await m.mockEvent({ type: "budget", payload: options.budget });
    });
    const instance = await env.OUTAGE_LOOP.create({
      id,
      params: { naming, script, runId: RUN, journalOf: options.journalOf ?? id },
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await instance.status();
      if (status.status === "complete") return status.output as Output;
      if (status.status === "errored") throw new Error(`instance ${id} errored: ${JSON.stringify(status.error)}`);
      if (Date.now() > deadline) throw new Error(`instance ${id} still ${status.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await introspector.dispose();
  }
}

describe("callUntilAnswered: one loop for planning and for turns", () => {
  const script: Try[] = ["outage", "outage", "parked", "outage", "reply"];

  it("after an outage sleeps and tries again, counting failures; parked, waits for budget and starts the count again", async () => {
    const turn = await play("turn", script, { budget: { kind: "granted" } });
    expect(turn.answer).toEqual({ kind: "reply", text: "answered at try 4" });
    expect(turn.tries).toEqual([
      { step: "turn-3", failures: 0 },
      { step: "turn-3.1", failures: 1 },
      { step: "turn-3.2", failures: 2 },
      { step: "turn-3.3", failures: 0 },
      { step: "turn-3.4", failures: 1 },
    ]);
  });

  it("pauses and resumes planning the same way, under planning's step names", async () => {
    const turn = await play("turn", script, { budget: { kind: "granted" } });
    const plan = await play("plan", script, { budget: { kind: "granted" } });
    expect(plan.answer).toEqual(turn.answer);
    expect(plan.tries.map((t) => t.failures)).toEqual(turn.tries.map((t) => t.failures));
    expect(plan.tries.map((t) => t.step)).toEqual(["plan", "plan.1", "plan.2", "plan.3", "plan.4"]);
  });

  it("stops when the budget event says stop, without another try", async () => {
    const error: ErrorJson = { code: "budget_exhausted", message: "spent $5.00 of $5.00" };
    for (const naming of ["turn", "plan"] as const) {
      const played = await play(naming, ["parked", "reply"], { budget: { kind: "stop", error } });
      expect(played.answer).toEqual({ kind: "stopped", error });
      expect(played.tries).toHaveLength(1);
    }
  });

  it("journals an answer, so a restarted call returns it without calling again", async () => {
    const journalOf = `restarted-${Date.now()}`;
    const first = await play("turn", ["reply"], { journalOf });
    const again = await play("turn", [], { journalOf });
    expect(again.answer).toEqual(first.answer);
    expect(again.tries).toEqual([]);
  });
});
