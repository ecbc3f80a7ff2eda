import { describe, expect, it } from "vitest";
import { shapeCounts, TASK_SHAPE } from "./task-shape.js";

describe("TASK_SHAPE", () => {
  it("has the counts the README documents for one task", () => {
    expect(shapeCounts(TASK_SHAPE)).toEqual({
      steps: 7,
      rpcs: 7,
      d1_batches: 4,
      d1_statements: 28,
      r2_puts: 7,
      model_calls: 2,
    });
  });

  it("uses Bernstein's step names, in its order", () => {
    expect(TASK_SHAPE.steps.map((s) => s.name)).toEqual([
      "load",
      "turn-0",
      "tools-0",
      "turn-1",
      "patch",
      "submit",
      "report",
    ]);
  });
});
