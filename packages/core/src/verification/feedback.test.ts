import { describe, expect, it } from "vitest";
import { describeFailure, describeSetupFailure } from "./feedback.js";

describe("describeFailure", () => {
  const input = {
    regressions: [
      {
        id: "node --test :: sub",
        name: "sub subtracts",
        command: "node --test",
        after: "failed" as const,
        message: "AssertionError: expected 1\n  got -1",
      },
    ],
    failedSignals: [
      {
        command: "node --test test/mul.test.js",
        passed: false,
        exitCode: 1,
        timedOut: false,
        failedTests: [{ name: "mul multiplies", message: "expected 6, got NaN" }],
      },
    ],
    commands: [{ command: "node --test", exitCode: 1, timedOut: false, durationMs: 40, tests: 3 }],
    tail: "# fail 2\n[runner] exit 1 after 0.4 s\n",
  };

  it("names the regressed tests and failed signals, with messages, commands, exit codes and the tail", () => {
    const { message, feedback } = describeFailure(input);
    expect(message).toBe(
      "1 passing on the integration tree now fail: sub subtracts; test_passes failed: `node --test test/mul.test.js`",
    );
    expect(feedback).toContain("- sub subtracts (`node --test`): failed\n    AssertionError: expected 1\n      got -1");
    expect(feedback).toContain(
      "- `node --test test/mul.test.js`: exit 1\n  - mul multiplies\n      expected 6, got NaN",
    );
    expect(feedback).toContain("- `node --test`: exit 1");
    expect(feedback).toContain("# fail 2\n[runner] exit 1 after 0.4 s");
  });

  it("gives the same message for the same failure whatever the log says (no-progress detection)", () => {
    expect(describeFailure({ ...input, tail: "other timings" }).message).toBe(describeFailure(input).message);
  });
});

describe("describeSetupFailure", () => {
  it("says which command failed and how to fix it", () => {
    const text = describeSetupFailure({
      phase: "verify",
      command: "no-such-tool test",
      exitCode: 127,
      timedOut: false,
      message: "sh: 1: no-such-tool: not found",
    });
    expect(text).toMatch(/^the verify command `no-such-tool test` could not run \(exit 127\)/);
    expect(text).toContain("not found");
    expect(text).toContain("bernstein retry");
  });
});
