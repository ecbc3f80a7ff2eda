import { describe, expect, it } from "vitest";
import { failingTests } from "./failing-tests.js";

describe("failingTests", () => {
  it("reads TAP and spec reporter failures, without duplicates or summary lines", () => {
    const log = [
      "TAP version 13",
      "# Subtest: divide divides two numbers",
      "ok 1 - divide divides two numbers",
      "not ok 2 - divide by zero throws a RangeError",
      "  ---",
      "not ok 3 - multiply # TODO later",
      "✖ divide by zero throws a RangeError (1.52ms)",
      "✖ failing tests:",
      "# fail 2",
    ].join("\n");
    expect(failingTests(log)).toEqual(["divide by zero throws a RangeError", "multiply"]);
  });

  it("finds nothing in a passing log", () => {
    expect(failingTests("ok 1 - adds\n# pass 1\n# fail 0\n")).toEqual([]);
  });
});
