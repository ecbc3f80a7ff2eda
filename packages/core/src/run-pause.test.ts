import { describe, expect, it } from "vitest";
import { isBudgetPause, isModelPause } from "./run-pause.js";

describe("run pauses", () => {
  it("tells a model pause from a budget pause", () => {
    const model = { status: "paused", error: { code: "model_unavailable", message: "m" } } as const;
    const budget = { status: "paused", error: { code: "budget_exhausted", message: "m" } } as const;
    const running = { status: "running", error: null } as const;
    expect([isModelPause(model), isModelPause(budget), isModelPause(running)]).toEqual([true, false, false]);
    expect([isBudgetPause(model), isBudgetPause(budget), isBudgetPause(running)]).toEqual([false, true, false]);
  });
});
