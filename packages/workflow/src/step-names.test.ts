import { describe, expect, it } from "vitest";
import { STEP } from "./step-names.js";

describe("STEP", () => {
  it("names the fixed steps", () => {
    expect([STEP.load, STEP.plan, STEP.planRepair, STEP.storePlan, STEP.patch, STEP.signals, STEP.report]).toEqual([
      "load",
      "plan",
      "plan-repair",
      "store-plan",
      "patch",
      "signals",
      "report",
    ]);
  });

  it("builds the same numbered names on every replay", () => {
    expect(STEP.turn(3)).toBe("turn-3");
    expect(STEP.tools(3)).toBe("tools-3");
    expect(STEP.turn(0)).toBe(STEP.turn(0));
    expect([STEP.toolsPart(2, 1), STEP.command(2, 1), STEP.commandCheck(2, 1), STEP.commandWait(2, 1)]).toEqual([
      "tools-2-1",
      "command-2-1",
      "command-check-2-1",
      "command-wait-2-1",
    ]);
  });

  it("refuses turn numbers that would not replay", () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => STEP.turn(n)).toThrow(RangeError);
      expect(() => STEP.tools(n)).toThrow(RangeError);
    }
  });
});
