import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { allRunsCostReport, createDb, insertCostEvents, insertRun, insertTasks } from "../src/index.js";
import { makeCost, makeRun, makeTask } from "./fixtures.js";

const db = createDb(env.STATE_DB);
// The fixtures' cost events are at 2026-11-26T10:00:00Z: "now" two minutes later puts them in the burn window.
const NOW = Date.parse("2026-11-26T10:02:00.000Z");

describe("the cost report of every run (D1)", () => {
  it("sums tokens by run, task, attempt, model and role, names the tasks, and counts a run without spend", async () => {
    const run = makeRun();
    const idle = makeRun();
    await insertRun(db, run);
    await insertRun(db, idle);
    const backend = makeTask(run.id, 0, { role: "backend", title: "Add multiply" });
    await insertTasks(db, [backend]);
    await insertCostEvents(db, [
      makeCost(run.id, null, "openai/gpt-5.4", 0.02),
      makeCost(run.id, backend.id, "anthropic/claude-sonnet-5-5", 0.1),
      makeCost(run.id, backend.id, "anthropic/claude-sonnet-5-5", 0.2, "turn-2"),
    ]);
    const report = await allRunsCostReport(db, NOW);
    expect(report.byRun[idle.id]).toBe(0);
    expect(report.byRun[run.id]).toBe(0.32);
    const attemptId = `${run.id}-${backend.id}-a1`;
    expect(report.tokensBy.run[run.id]).toEqual({ in: 3_000, out: 600, cacheRead: 150, cacheWrite: 30 });
    expect(report.tokensBy.task[backend.id]).toEqual({ in: 2_000, out: 400, cacheRead: 100, cacheWrite: 20 });
    expect(report.tokensBy.attempt[attemptId]).toEqual(report.tokensBy.task[backend.id]);
    expect(report.tokensBy.role.planner).toMatchObject({ in: 1_000, out: 200 });
    expect(report.byAttempt[attemptId]).toBe(0.3);
    expect(report.tasks.find((t) => t.id === backend.id)).toMatchObject({
      planId: "t1",
      title: "Add multiply",
      role: "backend",
      usd: 0.3,
      calls: 2,
      attempts: [{ id: attemptId, n: 1, usd: 0.3, calls: 2 }],
    });
    expect(report.burn).toMatchObject({ windowSeconds: 300 });
    expect(report.burn?.usd).toBeGreaterThanOrEqual(0.32);
    expect(report.burn?.usdPerMinute).toBeCloseTo((report.burn?.usd ?? 0) / 5, 6);
    // Ten minutes on, the calls are out of the window.
    expect((await allRunsCostReport(db, NOW + 600_000)).burn?.usd).toBe(0);
  });
});
