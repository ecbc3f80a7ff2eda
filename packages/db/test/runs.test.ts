import { env } from "cloudflare:workers";
import { Run } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  createDb,
  findRunByIdempotencyKey,
  getRun,
  insertRun,
  listRuns,
  runBatch,
  updateRun,
  updateRunStmts,
} from "../src/index.js";
import { makeRun, newId } from "./fixtures.js";

const db = createDb(env.STATE_DB);

describe("runs", () => {
  it("round-trips a run with every field set", async () => {
    const run = Run.parse(makeRun());
    await insertRun(db, run);
    const back = await getRun(db, run.id);
    expect(back).toEqual(run);
    expect(Run.parse(back)).toEqual(run);
  });

  it("round-trips a run with every nullable field null", async () => {
    const run = makeRun({ budgetUsd: null, baseCommit: null, error: null, finishedAt: null, verifyCommands: [] });
    await insertRun(db, run);
    expect(await getRun(db, run.id)).toEqual(run);
    const raw = await env.STATE_DB.prepare("SELECT error, approve_all, verify_commands FROM runs WHERE id = ?")
      .bind(run.id)
      .first();
    // JSON stays TEXT, null stays SQL NULL (not the string "null"), booleans are integers.
    expect(raw).toEqual({ error: null, approve_all: 1, verify_commands: "[]" });
  });

  it("returns null for an unknown id", async () => {
    expect(await getRun(db, newId("r"))).toBeNull();
  });

  it("finds a run by its idempotency key and refuses the key twice", async () => {
    const key = `key-${newId("r")}`;
    const run = makeRun();
    await insertRun(db, run, key);
    expect(await findRunByIdempotencyKey(db, key)).toEqual(run);
    expect(await findRunByIdempotencyKey(db, `${key}-other`)).toBeNull();
    await expect(insertRun(db, makeRun(), key)).rejects.toMatchObject({ code: "conflict" });
    // Runs without a key never clash with each other.
    await insertRun(db, makeRun());
    await insertRun(db, makeRun(), null);
  });

  it("lists runs newest first, by status, up to a limit", async () => {
    const stamp = (minute: number) => `2099-01-01T00:${String(minute).padStart(2, "0")}:00.000Z`;
    const made = [0, 1, 2, 3].map((m) =>
      makeRun({ createdAt: stamp(m), status: m % 2 === 0 ? "paused" : "completed", goal: `list ${m}` }),
    );
    for (const run of made) await insertRun(db, run);
    const newest = await listRuns(db, { limit: 4 });
    expect(newest.map((r) => r.goal)).toEqual(["list 3", "list 2", "list 1", "list 0"]);
    const paused = await listRuns(db, { status: "paused", limit: 2 });
    expect(paused.map((r) => r.goal)).toEqual(["list 2", "list 0"]);
  });

  it("updates the fields a patch sets and returns the run", async () => {
    const run = makeRun({ status: "planning", finishedAt: null, error: null, updatedAt: "2000-01-01T00:00:00.000Z" });
    await insertRun(db, run);
    const updated = await updateRun(db, run.id, {
      status: "failed",
      error: { code: "run_failed", message: "a task failed" },
      finishedAt: "2026-11-26T12:00:00.000Z",
      spentUsd: 3.25,
    });
    expect(updated).toEqual({
      ...run,
      status: "failed",
      error: { code: "run_failed", message: "a task failed" },
      finishedAt: "2026-11-26T12:00:00.000Z",
      spentUsd: 3.25,
      updatedAt: updated.updatedAt,
    });
    expect(updated.updatedAt > run.updatedAt).toBe(true);
    expect(await getRun(db, run.id)).toEqual(updated);
  });

  it("batches an update with other writes", async () => {
    const run = makeRun({ integrationSeq: 0 });
    await insertRun(db, run);
    await runBatch(db, [
      ...updateRunStmts(db, run.id, { integrationSeq: 1, updatedAt: "2026-11-27T00:00:00.000Z" }),
      ...updateRunStmts(db, run.id, { spentUsd: 9 }),
    ]);
    expect(await getRun(db, run.id)).toMatchObject({ integrationSeq: 1, spentUsd: 9 });
  });

  it("throws not_found when updating an unknown run", async () => {
    await expect(updateRun(db, newId("r"), { status: "running" })).rejects.toMatchObject({ code: "not_found" });
  });
});
