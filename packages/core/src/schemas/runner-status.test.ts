import { describe, expect, it } from "vitest";
import { describeRunEvent } from "../run-activity.js";
import type { RunEvent } from "./run-event.js";
import { noRunnerNotice, type RunnerStatus } from "./runner-status.js";

const status = (connected: number, commands: number, verifications: number): RunnerStatus => ({
  runners: [],
  connected,
  waiting: { commands, verifications },
});

describe("noRunnerNotice", () => {
  it("says what waits and how to start a runner when none is connected", () => {
    expect(noRunnerNotice(status(0, 1, 0))).toBe(
      "no runner connected: 1 command waiting; start one with `bernstein runner` (`--cloud` for a deployed stack)",
    );
    expect(noRunnerNotice(status(0, 2, 1))).toMatch(/^no runner connected: 2 commands and 1 verification waiting; /);
  });

  it("is silent when a runner is connected or nothing waits", () => {
    expect(noRunnerNotice(status(1, 3, 3))).toBeNull();
    expect(noRunnerNotice(status(0, 0, 0))).toBeNull();
  });
});

describe("a command refused for want of a runner, in the activity", () => {
  it("says how to start one", () => {
    const event = {
      seq: 3,
      runId: "r_0123456789ab",
      taskId: "t_1",
      type: "log",
      at: "2026-12-02T00:00:00.000Z",
      data: { kind: "command", command: "npm test", problem: "no runner connected" },
    } as unknown as RunEvent;
    expect(describeRunEvent(event, () => "Fix add")).toEqual({
      text: "Fix add: $ npm test -> not run: no runner connected; start one with `bernstein runner` (`--cloud` for a deployed stack)",
      tone: "warn",
    });
  });
});
