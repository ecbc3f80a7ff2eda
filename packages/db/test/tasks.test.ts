import { env } from "cloudflare:workers";
import { errorCodeOf, type Task, Task as TaskSchema } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  createDb,
  getEventsAfter,
  getTask,
  getTasksOfRun,
  insertEventsStmts,
  insertRun,
  insertTasks,
  insertTasksStmts,
  runBatch,
  updateTask,
  updateTaskStmts,
} from "../src/index.js";
import { makeEvents, makeRun, makeTask, newId } from "./fixtures.js";

const db = createDb(env.STATE_DB);

async function newRun(): Promise<string> {
  const run = makeRun();
  await insertRun(db, run);
  return run.id;
}

describe("tasks: insert and read", () => {
  it("round-trips tasks with their dependencies, in plan order", async () => {
    const runId = await newRun();
    const a = makeTask(runId, 0, { error: { code: "tool_error", message: "bad edit", details: { path: "x" } } });
    const b = makeTask(runId, 1, { maxCostUsd: null, summary: null, mergedSeq: 4, approvalRequired: true });
    const c = makeTask(runId, 2, { dependsOn: [b.id, a.id], ownedFiles: [], completionSignals: [] });
    await insertTasks(db, [c, a, b]);
    const back = await getTasksOfRun(db, runId);
    expect(back).toEqual([a, b, c]);
    for (const task of back) expect(TaskSchema.parse(task)).toEqual(task);
    expect(await getTask(db, c.id)).toEqual(c);
    expect(await getTask(db, newId("t"))).toBeNull();
  });

  it("stores a task with 300 dependencies", async () => {
    const runId = await newRun();
    const deps = Array.from({ length: 300 }, (_, i) => makeTask(runId, i));
    const hub = makeTask(runId, 300, { dependsOn: deps.map((d) => d.id).reverse() });
    await insertTasks(db, [...deps, hub]);
    const back = await getTask(db, hub.id);
    expect(back?.dependsOn).toHaveLength(300);
    expect(back).toEqual(hub);
  });

  it("inserts 5,000 tasks in batches and reads them back", async ({ annotate }) => {
    const runId = await newRun();
    const list: Task[] = [];
    for (let i = 0; i < 5_000; i++) {
      const prev = list[i - 1];
      list.push(makeTask(runId, i, { dependsOn: prev ? [prev.id] : [] }));
    }
    const stmts = insertTasksStmts(db, list);
    // 1,250 statements of 4 rows (22 columns; dependencies are the JSON column `depends_on`).
    expect(stmts).toHaveLength(1_250);
    const started = Date.now();
    await insertTasks(db, list);
    const insertMs = Date.now() - started;
    const back = await getTasksOfRun(db, runId);
    const readMs = Date.now() - started - insertMs;
    expect(back).toEqual(list);
    await annotate(`5,000 tasks + 4,999 deps: insert ${insertMs} ms, read back ${readMs} ms`);
  });

  it("keeps every statement of wide rows within 100 parameters, through the guard", async () => {
    const runId = await newRun();
    const wide = Array.from({ length: 40 }, (_, i) =>
      makeTask(runId, i, {
        description: "x".repeat(2_000),
        ownedFiles: Array.from({ length: 50 }, (_, j) => `src/${i}/${j}.ts`),
        error: { code: "internal", message: "m", details: { k: "v" } },
        mergedSeq: 1,
      }),
    );
    for (const [i, task] of wide.entries()) task.dependsOn = wide.slice(0, i).map((t) => t.id);
    const params = insertTasksStmts(db, wide).map((s) => s.toSQL().params.length);
    expect(Math.max(...params)).toBeLessThanOrEqual(100);
    // Chunking packs rows up to the budget rather than trickling one row per statement.
    expect(Math.max(...params)).toBeGreaterThan(80);
    await insertTasks(db, wide);
    expect(await getTasksOfRun(db, runId)).toEqual(wide);
  });
});

describe("tasks: updateTask", () => {
  async function stored(overrides: Partial<Task> = {}): Promise<Task> {
    const task = makeTask(await newRun(), 0, overrides);
    await insertTasks(db, [task]);
    return task;
  }

  it("applies a legal transition, bumps the version and returns the stored task", async () => {
    const before = await stored({ status: "open" });
    const after = await updateTask(db, before, { status: "claimed", attempt: 1 });
    expect(after).toMatchObject({ status: "claimed", attempt: 1, version: before.version + 1 });
    expect(await getTask(db, before.id)).toEqual(after);
  });

  it("bumps the version on a write without a status change", async () => {
    const before = await stored({ status: "in_progress", version: 3 });
    const after = await updateTask(db, before, { costUsd: 0.5, status: "in_progress" });
    expect(after).toMatchObject({ status: "in_progress", costUsd: 0.5, version: 4 });
    expect(await getTask(db, before.id)).toEqual(after);
  });

  it("throws illegal_transition and writes nothing", async () => {
    const before = await stored({ status: "planned" });
    await expect(updateTask(db, before, { status: "merged", summary: "nope" })).rejects.toMatchObject({
      code: "illegal_transition",
    });
    expect(await getTask(db, before.id)).toEqual(before);
  });

  it("throws version_conflict for a stale version and writes nothing", async () => {
    const before = await stored({ status: "open" });
    const current = await updateTask(db, before, { status: "claimed" });
    await expect(updateTask(db, before, { status: "cancelled", summary: "stale" })).rejects.toMatchObject({
      code: "version_conflict",
    });
    expect(await getTask(db, before.id)).toEqual(current);
  });

  it("throws version_conflict for a task that is not stored", async () => {
    const ghost = makeTask(await newRun(), 0, { status: "open" });
    await expect(updateTask(db, ghost, { status: "claimed" })).rejects.toMatchObject({ code: "version_conflict" });
  });

  it("rolls back the whole batch when the version is stale", async () => {
    const before = await stored({ status: "open" });
    await updateTask(db, before, { status: "claimed" });
    const { stmts } = updateTaskStmts(db, before, { status: "cancelled" });
    const event = makeEvents(before.runId, 1);
    // The event comes first in the batch, so only the transaction can undo it.
    const error = await runBatch(db, [...insertEventsStmts(db, event), ...stmts]).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe("version_conflict");
    expect(await getEventsAfter(db, before.runId, 0)).toEqual([]);
  });

  it("commits a task write and its event together", async () => {
    const before = await stored({ status: "open" });
    const { stmts, task } = updateTaskStmts(db, before, { status: "claimed" });
    const event = makeEvents(before.runId, 1);
    await runBatch(db, [...stmts, ...insertEventsStmts(db, event)]);
    expect(await getTask(db, before.id)).toEqual(task);
    expect(await getEventsAfter(db, before.runId, 0)).toEqual(event);
  });

  it("replaces dependencies when the patch changes them", async () => {
    const runId = await newRun();
    const [a, b] = [makeTask(runId, 0), makeTask(runId, 1)];
    const c = makeTask(runId, 2, { dependsOn: [a.id] });
    await insertTasks(db, [a, b, c]);
    const after = await updateTask(db, c, { dependsOn: [b.id, a.id] });
    expect((await getTask(db, c.id))?.dependsOn).toEqual([b.id, a.id]);
    expect(after.dependsOn).toEqual([b.id, a.id]);
  });

  it("never changes id, runId or createdAt", async () => {
    const before = await stored();
    const after = await updateTask(db, before, {
      id: newId("t"),
      runId: newId("r"),
      createdAt: "2000-01-01T00:00:00Z",
    });
    expect(after).toMatchObject({ id: before.id, runId: before.runId, createdAt: before.createdAt });
    expect(await getTask(db, before.id)).toEqual(after);
  });
});
