import { describe, expect, it } from "vitest";
import type { Check } from "./checks.js";
import { compareTrees, describeVerification, RunVerification } from "./verdict.js";

const check = (name: string, status: Check["status"]): Check => ({ id: `t :: ${name}`, name, command: "t", status });

describe("compareTrees", () => {
  it("counts both trees and lists what the run fixed and what still fails", () => {
    const base = {
      checks: [check("add", "failed"), check("mul", "failed"), check("sub", "passed"), check("div", "failed")],
      commands: [],
      setupFailure: null,
    };
    const result = {
      checks: [
        check("add", "passed"),
        check("mul", "passed"),
        check("sub", "passed"),
        check("div", "failed"),
        check("pow", "passed"),
      ],
      commands: [],
      setupFailure: null,
    };
    const verdict = compareTrees(base, result);
    expect(RunVerification.parse(verdict)).toEqual({
      base: { passed: 1, failed: 3 },
      result: { passed: 4, failed: 1 },
      fixed: ["add", "mul"],
      still_failing: ["div"],
    });
    expect(describeVerification(verdict)).toBe(
      "checks: base 1 passed, 3 failed -> result 4 passed, 1 failed (2 fixed, 1 still failing)",
    );
  });
});
