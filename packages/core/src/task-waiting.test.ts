import { describe, expect, it } from "vitest";
import { shownTaskStatus, taskWaiting } from "./task-waiting.js";

const budgetPause = { status: "paused" as const, error: { code: "budget_exhausted" as const, message: "m" } };

describe("taskWaiting", () => {
  it("is budget for a calling task of a run paused at its budget", () => {
    expect(taskWaiting(budgetPause, { status: "in_progress" })).toBe("budget");
    expect(shownTaskStatus(budgetPause, { status: "claimed" })).toBe("waiting: budget");
  });

  it("is nothing for other tasks, runs that run, and other pauses", () => {
    expect(shownTaskStatus(budgetPause, { status: "verifying" })).toBe("verifying");
    expect(shownTaskStatus(budgetPause, { status: "open" })).toBe("open");
    expect(taskWaiting({ status: "running", error: null }, { status: "in_progress" })).toBeNull();
  });

  it("is model for a calling task of a run paused because its model is down", () => {
    const modelPause = { status: "paused" as const, error: { code: "model_unavailable" as const, message: "m" } };
    expect(shownTaskStatus(modelPause, { status: "in_progress" })).toBe("waiting: model");
    expect(taskWaiting(modelPause, { status: "verifying" })).toBeNull();
  });
});
