import { CostReport } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { createColors } from "../src/output/colors.js";
import {
  budgetText,
  burnText,
  formatShare,
  formatTokens,
  runCostText,
  stackCostText,
  tokensText,
} from "../src/output/cost-text.js";

const plain = createColors(false);
const t = (i: number, o: number, r: number, w: number) => ({ in: i, out: o, cacheRead: r, cacheWrite: w });
const RUN = "r_0123456789ab";
const TASK = "t_0123456789ab";

/** A run of one planning call and one task of two attempts. */
function runReport(): CostReport {
  return CostReport.parse({
    totalUsd: 0.015,
    byRun: { [RUN]: 0.015 },
    byTask: { [TASK]: 0.012 },
    byModel: { "anthropic/claude-sonnet-4-5": 0.015 },
    byRole: { planner: 0.003, backend: 0.012 },
    events: [],
    runnerSeconds: { total: 4.25, byRun: { [RUN]: 4.25 }, byTask: { [TASK]: 4 }, byAttempt: {} },
    byAttempt: { [`${RUN}-${TASK}-a1`]: 0.005, [`${RUN}-${TASK}-a2`]: 0.007 },
    calls: 4,
    tokens: t(12_345, 2_000, 40_000, 1_500),
    tokensBy: {
      run: { [RUN]: t(12_345, 2_000, 40_000, 1_500) },
      task: { [TASK]: t(10_000, 1_500, 40_000, 0) },
      attempt: {},
      model: { "anthropic/claude-sonnet-4-5": t(12_345, 2_000, 40_000, 1_500) },
      role: { planner: t(2_345, 500, 0, 1_500), backend: t(10_000, 1_500, 40_000, 0) },
    },
    tasks: [
      {
        id: TASK,
        runId: RUN,
        planId: "t1",
        title: "Add multiply",
        role: "backend",
        usd: 0.012,
        calls: 3,
        tokens: t(10_000, 1_500, 40_000, 0),
        runnerSeconds: 4,
        attempts: [
          { id: `${RUN}-${TASK}-a1`, n: 1, usd: 0.005, calls: 1, tokens: t(4_000, 500, 0, 0), runnerSeconds: 1.5 },
          {
            id: `${RUN}-${TASK}-a2`,
            n: 2,
            usd: 0.007,
            calls: 2,
            tokens: t(6_000, 1_000, 40_000, 0),
            runnerSeconds: 2.5,
          },
        ],
      },
    ],
    budget: { budgetUsd: 0.05, spentUsd: 0.015, share: 0.3 },
    burn: { windowSeconds: 300, at: "2026-12-02T12:00:00.000Z", usd: 0.01, usdPerMinute: 0.002 },
  });
}

describe("the figures of bernstein cost", () => {
  it("writes token counts with separators and in all four kinds", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(1_234_567)).toBe("1,234,567");
    expect(tokensText(t(12_345, 678, 9_000, 0))).toBe("12,345 in, 678 out, 9,000 cache read, 0 cache write");
  });

  it("writes the budget share exactly under $1, and says when a run has no budget", () => {
    expect(formatShare(0.3)).toBe("30.0%");
    expect(formatShare(0.0123)).toBe("1.2%");
    expect(budgetText({ budgetUsd: 0.015, spentUsd: 0.012861, share: 0.8574 })).toBe("$0.012861 of $0.015 (85.7%)");
    expect(budgetText({ budgetUsd: null, spentUsd: 0.5, share: null })).toBe("$0.50 spent, no budget set");
  });

  it("writes the burn rate per minute over its window", () => {
    expect(burnText({ windowSeconds: 300, at: "x", usd: 0.012, usdPerMinute: 0.0024 })).toBe(
      "$0.0024/min over the last 5 min ($0.012)",
    );
    expect(burnText({ windowSeconds: 90, at: "x", usd: 0, usdPerMinute: 0 })).toBe(
      "$0.00/min over the last 90 s ($0.00)",
    );
  });
});

describe("bernstein cost RUN as text", () => {
  const lines = runCostText(RUN, runReport(), plain).split("\n");

  it("starts with the run's spend, calls, tokens, budget share and burn rate", () => {
    expect(lines.slice(0, 4)).toEqual([
      `${RUN}: $0.015 in 4 model calls, 4.3 s of runner time`,
      "tokens:  12,345 in, 2,000 out, 40,000 cache read, 1,500 cache write",
      "budget:  $0.015 of $0.05 (30.0%)",
      "burn:    $0.002/min over the last 5 min ($0.01)",
    ]);
  });

  it("lists each task with its plan id, id, tokens, runner time and title, in aligned columns", () => {
    const header = lines.findIndex((l) => l.startsWith("TASK  ID"));
    expect(lines[header]).toMatch(
      /^TASK\s+ID\s+ROLE\s+COST\s+CALLS\s+IN\s+OUT\s+CACHE READ\s+CACHE WRITE\s+RUNNER\s+TITLE$/,
    );
    const row = lines[header + 1] ?? "";
    expect(row.split(/\s{2,}/)).toEqual([
      "t1",
      TASK,
      "backend",
      "$0.012",
      "3",
      "10,000",
      "1,500",
      "40,000",
      "0",
      "4.0 s",
      "Add multiply",
    ]);
    expect(row.indexOf("Add multiply")).toBe(lines[header]?.indexOf("TITLE"));
  });

  it("lists every attempt of a task, oldest first", () => {
    const header = lines.findIndex((l) => l.startsWith("TASK  ATTEMPT"));
    expect(header).toBeGreaterThan(0);
    expect(lines.slice(header + 1, header + 3).map((l) => l.split(/\s{2,}/))).toEqual([
      ["t1", "#1", "$0.005", "1", "4,000", "500", "0", "0", "1.5 s"],
      ["t1", "#2", "$0.007", "2", "6,000", "1,000", "40,000", "0", "2.5 s"],
    ]);
  });

  it("sums by role (planning as planner) and by model, with their tokens", () => {
    const role = lines.findIndex((l) => l.startsWith("ROLE"));
    expect(lines.slice(role, role + 3).map((l) => l.split(/\s{2,}/))).toEqual([
      ["ROLE", "COST", "IN", "OUT", "CACHE READ", "CACHE WRITE"],
      ["backend", "$0.012", "10,000", "1,500", "40,000", "0"],
      ["planner", "$0.003", "2,345", "500", "0", "1,500"],
    ]);
    const model = lines.findIndex((l) => l.startsWith("MODEL"));
    expect(lines[model + 1]?.split(/\s{2,}/)).toEqual([
      "anthropic/claude-sonnet-4-5",
      "$0.015",
      "12,345",
      "2,000",
      "40,000",
      "1,500",
    ]);
  });

  it("leaves out the budget line of a report that has none", () => {
    const report = { ...runReport(), budget: null, burn: null };
    const text = runCostText(RUN, report, plain);
    expect(text).not.toContain("budget:");
    expect(text).not.toContain("burn:");
  });
});

describe("bernstein cost (every run) as text", () => {
  it("counts every run, one without spend too, with its tokens and runner time", () => {
    const other = "r_aaaaaaaaaaaa";
    const report = { ...runReport(), byRun: { [RUN]: 0.015, [other]: 0 }, budget: null };
    const runs = new Map([
      [RUN, { status: "completed", goal: "Add\nmultiply" }],
      [other, { status: "failed", goal: "Nothing" }],
    ]);
    const lines = stackCostText(report, runs, (s) => `<${s}>`).split("\n");
    expect(lines[0]).toBe("$0.015 over 2 runs in 4 model calls, 4.3 s of runner time");
    expect(lines).not.toContainEqual(expect.stringMatching(/^budget:/));
    expect(lines).toContain("burn:    $0.002/min over the last 5 min ($0.01)");
    const header = lines.findIndex((l) => l.startsWith("RUN"));
    expect(lines.slice(header, header + 3).map((l) => l.split(/\s{2,}/))).toEqual([
      ["RUN", "STATUS", "COST", "IN", "OUT", "CACHE READ", "CACHE WRITE", "RUNNER", "GOAL"],
      [RUN, "<completed>", "$0.015", "12,345", "2,000", "40,000", "1,500", "4.3 s", "Add multiply"],
      [other, "<failed>", "$0.00", "0", "0", "0", "0", "0.0 s", "Nothing"],
    ]);
  });
});
