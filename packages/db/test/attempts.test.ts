import { env } from "cloudflare:workers";
import { Attempt } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  createDb,
  getAttempt,
  getAttemptsOfRun,
  getAttemptsOfTask,
  insertAttempt,
  insertRun,
  insertTasks,
  updateAttempt,
} from "../src/index.js";
import { makeAttempt, makeRun, makeTask } from "./fixtures.js";

const db = createDb(env.STATE_DB);

async function storedTasks(count: number) {
  const run = makeRun();
  await insertRun(db, run);
  const list = Array.from({ length: count }, (_, i) => makeTask(run.id, i));
  await insertTasks(db, list);
  return list;
}

describe("attempts", () => {
  it("round-trips an attempt with every field set, and with every nullable field null", async () => {
    const [task] = await storedTasks(1);
    if (!task) throw new Error("fixture");
    const full = Attempt.parse(makeAttempt(task, 1, { finishedAt: "2026-11-26T10:30:00.000Z" }));
    const bare = makeAttempt(task, 2, {
      patchKey: null,
      patchSha256: null,
      resultManifest: null,
      summary: null,
      error: null,
      finishedAt: null,
    });
    await insertAttempt(db, full);
    await insertAttempt(db, bare);
    expect(await getAttempt(db, full.id)).toEqual(full);
    expect(await getAttempt(db, bare.id)).toEqual(bare);
    expect(await getAttempt(db, "r_000000000000-t_000000000000-a1")).toBeNull();
  });

  it("lists a task's attempts by number and a run's by start time", async () => {
    const [t1, t2] = await storedTasks(2);
    if (!t1 || !t2) throw new Error("fixture");
    const a2 = makeAttempt(t1, 2, { startedAt: "2026-11-26T10:03:00.000Z" });
    const a1 = makeAttempt(t1, 1, { startedAt: "2026-11-26T10:01:00.000Z" });
    const b1 = makeAttempt(t2, 1, { startedAt: "2026-11-26T10:02:00.000Z" });
    for (const a of [a2, b1, a1]) await insertAttempt(db, a);
    expect(await getAttemptsOfTask(db, t1.id)).toEqual([a1, a2]);
    expect(await getAttemptsOfRun(db, t1.runId)).toEqual([a1, b1, a2]);
  });

  it("refuses the same attempt number of a task twice", async () => {
    const [task] = await storedTasks(1);
    if (!task) throw new Error("fixture");
    await insertAttempt(db, makeAttempt(task, 1));
    await expect(insertAttempt(db, { ...makeAttempt(task, 1), id: "other-id" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("updates the fields a patch sets and returns the attempt", async () => {
    const [task] = await storedTasks(1);
    if (!task) throw new Error("fixture");
    const attempt = makeAttempt(task, 1, { error: null, finishedAt: null });
    await insertAttempt(db, attempt);
    const patch = {
      status: "failed" as const,
      error: { code: "no_finish" as const, message: "no finish call" },
      finishedAt: "2026-11-26T11:00:00.000Z",
      turns: 9,
    };
    const updated = await updateAttempt(db, attempt.id, patch);
    expect(updated).toEqual({ ...attempt, ...patch });
    expect(await getAttempt(db, attempt.id)).toEqual(updated);
    expect(await updateAttempt(db, attempt.id, {})).toEqual(updated);
  });

  it("throws not_found when updating an unknown attempt", async () => {
    await expect(updateAttempt(db, "nope", { turns: 1 })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateAttempt(db, "nope", {})).rejects.toMatchObject({ code: "not_found" });
  });
});
