import { env } from "cloudflare:workers";
import { CostEvent } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { costTotals, createDb, getCostEvents, insertCostEvents, insertRun, insertTasks } from "../src/index.js";
import { makeCost, makeRun, makeTask } from "./fixtures.js";

const db = createDb(env.STATE_DB);

async function runWithTasks() {
  const run = makeRun();
  await insertRun(db, run);
  const backend = makeTask(run.id, 0, { role: "backend" });
  const qa = makeTask(run.id, 1, { role: "qa" });
  await insertTasks(db, [backend, qa]);
  return { runId: run.id, backend, qa };
}

describe("cost events", () => {
  it("round-trips cost events and filters them by run and task", async () => {
    const { runId, backend, qa } = await runWithTasks();
    const list = [
      makeCost(runId, null, "openai/gpt-5.4", 0.02),
      makeCost(runId, backend.id, "anthropic/claude-sonnet-5-5", 0.1),
      makeCost(runId, qa.id, "anthropic/claude-sonnet-5-5", 0.3),
    ].map((e) => CostEvent.parse(e));
    await insertCostEvents(db, list);
    expect(await getCostEvents(db, { runId })).toEqual(list);
    expect(await getCostEvents(db, { runId, taskId: qa.id })).toEqual([list[2]]);
    expect(await getCostEvents(db, { taskId: backend.id })).toEqual([list[1]]);
  });

  it("sums spend by run, task, model and role", async () => {
    const { runId, backend, qa } = await runWithTasks();
    const other = await runWithTasks();
    await insertCostEvents(db, [
      makeCost(runId, null, "openai/gpt-5.4", 0.02),
      makeCost(runId, backend.id, "anthropic/claude-sonnet-5-5", 0.1),
      makeCost(runId, backend.id, "openai/gpt-5.4", 0.2, "turn-2"),
      makeCost(runId, qa.id, "anthropic/claude-sonnet-5-5", 0.3),
      makeCost(other.runId, other.qa.id, "anthropic/claude-sonnet-5-5", 5),
    ]);
    expect(await costTotals(db, { runId })).toEqual({
      totalUsd: 0.62,
      byRun: { [runId]: 0.62 },
      byTask: { [backend.id]: 0.3, [qa.id]: 0.3 },
      byModel: { "openai/gpt-5.4": 0.22, "anthropic/claude-sonnet-5-5": 0.4 },
      byRole: { planner: 0.02, backend: 0.3, qa: 0.3 },
    });
    const all = await costTotals(db);
    expect(all.byRun[runId]).toBe(0.62);
    expect(all.byRun[other.runId]).toBe(5);
    expect(all.totalUsd).toBeGreaterThanOrEqual(5.62);
  });

  it("records a model call once: the same run, attempt and step again is skipped", async () => {
    const { runId, backend } = await runWithTasks();
    const call = makeCost(runId, backend.id, "anthropic/claude-sonnet-5-5", 0.1);
    const planning = makeCost(runId, null, "openai/gpt-5.4", 0.02);
    await insertCostEvents(db, [call, planning]);
    await insertCostEvents(db, [call, planning, { ...call, step: "turn-2" }]);
    expect((await getCostEvents(db, { runId })).map((e) => e.step)).toEqual(["turn-1", "plan", "turn-2"]);
    expect((await costTotals(db, { runId })).totalUsd).toBe(0.22);
  });

  it("reports zero for a run without spend", async () => {
    const { runId } = await runWithTasks();
    expect(await costTotals(db, { runId })).toEqual({ totalUsd: 0, byRun: {}, byTask: {}, byModel: {}, byRole: {} });
  });
});
