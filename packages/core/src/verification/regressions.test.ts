import { describe, expect, it } from "vitest";
import type { Check, CommandRun, SignalRun, TreeChecks } from "./checks.js";
import { type CandidateChecks, commandCheckId, findRegressions, judgeCandidate } from "./regressions.js";

const CMD = "node --test";

function test(name: string, status: Check["status"], message?: string, command = CMD): Check {
  return { id: `${command} :: ${name}`, name, command, status, ...(message ? { message } : {}) };
}
function run(command: string, exitCode: number | null, tests: number, timedOut = false): CommandRun {
  return { command, exitCode, timedOut, durationMs: 10, tests };
}
function tree(checks: Check[], commands: CommandRun[]): TreeChecks {
  return { checks, commands, setupFailure: null };
}
function candidate(checks: Check[], commands: CommandRun[], signals: SignalRun[] = []): CandidateChecks {
  return { ...tree(checks, commands), signals };
}
const signal = (command: string, passed: boolean): SignalRun => ({
  command,
  passed,
  exitCode: passed ? 0 : 1,
  timedOut: false,
  failedTests: [],
});

// The example: `add` is broken and `mul` is missing at the start.
const redBase = tree([test("add", "failed"), test("mul", "failed"), test("sub", "passed")], [run(CMD, 1, 3)]);

describe("judgeCandidate", () => {
  it("passes each of two independent fixes on a red suite: the other task's failing test does not count", () => {
    const fixAdd = candidate(
      [test("add", "passed"), test("mul", "failed"), test("sub", "passed")],
      [run(CMD, 1, 3)],
      [signal("node --test test/add.test.js", true)],
    );
    const addMul = candidate([test("add", "failed"), test("mul", "passed"), test("sub", "passed")], [run(CMD, 1, 3)]);
    expect(judgeCandidate(fixAdd, redBase)).toEqual({ kind: "passed" });
    expect(judgeCandidate(addMul, redBase)).toEqual({ kind: "passed" });
  });

  it("fails a change that breaks a test passing on the integration tree, naming it with its message", () => {
    const broke = candidate(
      [test("add", "passed"), test("mul", "failed"), test("sub", "failed", "expected 1, got -1")],
      [run(CMD, 1, 3)],
    );
    expect(judgeCandidate(broke, redBase)).toEqual({
      kind: "failed",
      regressions: [{ id: `${CMD} :: sub`, name: "sub", command: CMD, after: "failed", message: "expected 1, got -1" }],
      failedSignals: [],
    });
  });

  it("fails a task whose own test_passes signal fails, even when nothing regressed", () => {
    const green = candidate([test("sub", "passed")], [run(CMD, 0, 1)], [signal("node --test test/mul.test.js", false)]);
    const judged = judgeCandidate(green, null);
    expect(judged.kind).toBe("failed");
    expect(judged.kind === "failed" && judged.failedSignals.map((s) => s.command)).toEqual([
      "node --test test/mul.test.js",
    ]);
  });

  it("passes a candidate with nothing failing without waiting for the integration tree", () => {
    expect(judgeCandidate(candidate([test("sub", "passed")], [run(CMD, 0, 1)]), null)).toEqual({ kind: "passed" });
  });

  it("needs the integration tree's result to judge a candidate with failures", () => {
    const red = candidate([test("add", "failed")], [run(CMD, 1, 1)]);
    expect(judgeCandidate(red, null)).toEqual({ kind: "needs_base" });
  });

  it("keeps a green suite green: any failure on the candidate is a regression", () => {
    const green = tree([test("add", "passed"), test("sub", "passed")], [run(CMD, 0, 2)]);
    const broke = candidate([test("add", "passed"), test("sub", "failed")], [run(CMD, 1, 2)]);
    const judged = judgeCandidate(broke, green);
    expect(judged.kind === "failed" && judged.regressions.map((r) => r.name)).toEqual(["sub", commandCheckId(CMD)]);
  });

  it("blocks (setup_failed) when setup fails on the integration tree too, and fails the candidate when only it breaks setup", () => {
    const failure = {
      phase: "setup" as const,
      command: "pnpm install",
      exitCode: 1,
      timedOut: false,
      message: "bad lock",
    };
    const broken: TreeChecks = { checks: [], commands: [], setupFailure: failure };
    const candidateBroken: CandidateChecks = { ...broken, signals: [] };
    expect(judgeCandidate(candidateBroken, null)).toEqual({ kind: "needs_base" });
    expect(judgeCandidate(candidateBroken, broken)).toEqual({ kind: "setup_failed", failure });
    const judged = judgeCandidate(candidateBroken, redBase);
    expect(judged.kind === "failed" && judged.regressions.map((r) => r.id)).toEqual(["setup: pnpm install"]);
  });
});

describe("findRegressions", () => {
  it("catches a regression inside a command that already fails (per test case, from its report)", () => {
    const base = tree([test("a", "passed"), test("b", "failed")], [run("vitest run", 1, 2)]);
    const after = tree([test("a", "failed"), test("b", "failed")], [run("vitest run", 1, 2)]);
    expect(findRegressions(base, after).map((r) => r.name)).toEqual(["a"]);
  });

  it("counts a passing test that did not run because its command failed, not one removed from a passing command", () => {
    const base = tree([test("a", "passed"), test("b", "passed")], [run(CMD, 0, 2)]);
    const crashed = tree([test("b", "passed")], [run(CMD, 1, 1)]);
    expect(findRegressions(base, crashed).map((r) => [r.name, r.after])).toEqual([
      ["a", "missing"],
      [commandCheckId(CMD), "failed"],
    ]);
    const removed = tree([test("b", "passed")], [run(CMD, 0, 1)]);
    expect(findRegressions(base, removed)).toEqual([]);
  });

  it("treats a timed-out command's unrun tests as missing, and a skipped test as no regression", () => {
    const base = tree([test("a", "passed"), test("b", "passed")], [run(CMD, 0, 2)]);
    const slow = tree([test("b", "skipped")], [run(CMD, null, 1, true)]);
    expect(findRegressions(base, slow).map((r) => [r.name, r.after, r.message ?? null])).toEqual([
      ["a", "missing", null],
      [commandCheckId(CMD), "failed", "timed out"],
    ]);
  });

  it("compares commands without reports as checks of their own, once", () => {
    const lint = "npm run lint";
    const own = (status: Check["status"]): Check => ({
      id: commandCheckId(lint),
      name: commandCheckId(lint),
      command: lint,
      status,
    });
    const base = tree([own("passed")], [run(lint, 0, 0)]);
    const after = tree([own("failed")], [run(lint, 2, 0)]);
    expect(findRegressions(base, after).map((r) => r.id)).toEqual([commandCheckId(lint)]);
  });
});
