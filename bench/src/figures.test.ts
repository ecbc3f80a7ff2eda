import type { RunEvent } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import type { BernsteinRun } from "./bernstein-run.js";
import { bernsteinFigures } from "./figures.js";

const T0 = Date.parse("2026-11-27T00:00:00.000Z");
let seq = 0;

function event(ms: number, type: RunEvent["type"], data: Record<string, unknown>): RunEvent {
  seq += 1;
  return { runId: "r_000000000001", seq, at: new Date(T0 + ms).toISOString(), type, taskId: null, data };
}

/** Two tasks, one agent: the second is claimed in the transaction that merges the first. */
function run(): BernsteinRun {
  const events = [
    event(0, "task.status", { from: "open", to: "claimed", instance: "a" }),
    event(10, "attempt.started", { instance: "a" }),
    event(40, "attempt.finished", { instance: "a", outcome: "succeeded" }),
    event(40, "task.status", { from: "open", to: "claimed", instance: "b" }),
    event(70, "attempt.started", { instance: "b" }),
    event(100, "attempt.finished", { instance: "b", outcome: "succeeded" }),
    event(100, "run.status", { from: "running", to: "completed" }),
  ];
  const cpu = { nodeMs: 0, workerdMs: null, machineMs: null };
  return {
    events,
    postedAt: T0 - 5,
    completedAt: T0 + 101,
    cpu: { before: cpu, after: { ...cpu, nodeMs: 20 } },
    peakRssMb: null,
  };
}

describe("bernsteinFigures", () => {
  it("pairs each claim with its attempt's start, and counts slot-milliseconds per task", () => {
    const figures = bernsteinFigures(run(), 2, 1);
    expect(figures.dispatchMs).toEqual([10, 30]);
    expect(figures.orchestrationWallMs).toBe(100);
    expect(figures.perTaskMs).toBe(50); // 100 ms × 1 slot / 2 tasks
    expect(figures.slotBusyMs).toBe(50); // mean of 40 and 60
    expect(figures.endToEndMs).toBe(106);
    expect(figures.nodeCpuMsPerTask).toBe(10);
    expect(figures.workerdCpuMsPerTask).toBeNull();
  });

  it("refuses a log that misses a task's attempt", () => {
    expect(() => bernsteinFigures(run(), 3, 1)).toThrow(/2 complete attempts of 3 tasks/);
  });
});
