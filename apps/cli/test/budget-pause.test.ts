import type { RunView, Task } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { budgetPauseSummary, turnTally } from "../src/run/budget-pause.js";

function task(status: Task["status"], attempt: number): Task {
  return { status, attempt } as Task;
}

const paused = {
  id: "r_0123456789ab",
  status: "paused",
  spentUsd: 0.01302,
  budgetUsd: 0.022725,
  error: {
    code: "budget_exhausted",
    message: "the budget cannot pay for the next model call",
    details: { neededUsd: 0.0152 },
  },
  tasks: [task("merged", 1), task("in_progress", 1), task("open", 0)],
} as unknown as RunView;

describe("a budget pause, as run --wait tells it", () => {
  it("says spent and budget, estimates the rest from the run's mean cost per turn, and gives the command", () => {
    // The report's tasks: planning's call is under no task, so it is no turn.
    const tally = turnTally({
      tasks: [
        { calls: 3, usd: 0.006 },
        { calls: 1, usd: 0.002 },
      ] as never,
    });
    expect(tally).toEqual({ turns: 4, usd: 0.008 });
    const summary = budgetPauseSummary(paused, tally);
    expect(summary.lines[0]).toBe("Run r_0123456789ab paused: spent $0.01302 of its $0.022725 budget.");
    // 2 unfinished tasks × 2 turns a task (4 turns over 2 started tasks) × $0.002 a turn.
    expect(summary.lines[1]).toBe(
      "The 2 unfinished tasks need about $0.008 more (2 turns a task at $0.002 a turn, this run's mean); the next call may cost up to $0.0152.",
    );
    expect(summary.suggestedUsd).toBe(0.02); // at least the waiting call, rounded up to a cent
    expect(summary.lines.at(-1)).toContain("Continue it: bernstein budget r_0123456789ab --add 0.02");
  });

  it("before a plan, says what planning's call may cost", () => {
    const planning = { ...paused, spentUsd: 0, budgetUsd: 0.004545, tasks: [] } as unknown as RunView;
    const summary = budgetPauseSummary(planning, { turns: 0, usd: 0 });
    expect(summary.lines).toEqual([
      "Run r_0123456789ab paused: spent $0.00 of its $0.004545 budget.",
      "Planning waits: its call may cost up to $0.0152.",
      "Continue it: bernstein budget r_0123456789ab --add 0.02   (or stop it: bernstein cancel r_0123456789ab)",
    ]);
  });
});
