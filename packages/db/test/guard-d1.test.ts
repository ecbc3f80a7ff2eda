import { env } from "cloudflare:workers";
import { errorCodeOf } from "@bernstein/core";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, guardD1, runs, withDbErrors } from "../src/index.js";

const selectOf = (n: number) => `SELECT ${Array.from({ length: n }, () => "?").join(", ")}`;
const values = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("guardD1: bound parameters", () => {
  it("throws too_many_parameters at bind() for a 101st parameter", () => {
    const d1 = guardD1(env.STATE_DB);
    const stmt = d1.prepare(selectOf(101));
    expect(() => stmt.bind(...values(101))).toThrow(expect.objectContaining({ code: "too_many_parameters" }));
  });

  it("is what gives the typed error: raw local D1 fails only when the statement runs, untyped", async () => {
    const error = await env.STATE_DB.prepare(selectOf(101))
      .bind(...values(101))
      .raw()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(errorCodeOf(error)).toBe("internal");
  });

  it("passes 100 parameters through and returns D1's own results", async () => {
    const d1 = guardD1(env.STATE_DB);
    const rows = await d1
      .prepare(selectOf(100))
      .bind(...values(100))
      .raw();
    expect(rows[0]).toEqual(values(100));
  });

  it("catches an oversized drizzle query before it reaches D1", async () => {
    const db = createDb(env.STATE_DB);
    const ids = values(101).map((i) => `r_${String(i).padStart(12, "0")}`);
    // Drizzle wraps driver errors; the guard's error is the cause, and withDbErrors unwraps it.
    await expect(db.select().from(runs).where(inArray(runs.id, ids))).rejects.toMatchObject({
      cause: { code: "too_many_parameters" },
    });
    await expect(withDbErrors(() => db.select().from(runs).where(inArray(runs.id, ids)))).rejects.toMatchObject({
      code: "too_many_parameters",
    });
  });
});

describe("guardD1: batch size", () => {
  it("throws limit_exceeded for a batch of 1,001 statements", async () => {
    const d1 = guardD1(env.STATE_DB);
    const stmts = Array.from({ length: 1_001 }, () => d1.prepare("SELECT 1"));
    await expect(async () => d1.batch(stmts)).rejects.toMatchObject({ code: "limit_exceeded" });
  });

  it("is the only thing stopping it: raw local D1 runs 1,001 statements in one batch", async () => {
    const stmts = Array.from({ length: 1_001 }, () => env.STATE_DB.prepare("SELECT 1"));
    expect(await env.STATE_DB.batch(stmts)).toHaveLength(1_001);
  });

  it("runs a batch of exactly 1,000 guarded statements", async () => {
    const d1 = guardD1(env.STATE_DB);
    const stmts = Array.from({ length: 1_000 }, (_, i) => d1.prepare("SELECT ? AS n").bind(i));
    const results = await d1.batch<{ n: number }>(stmts);
    expect(results.map((r) => r.results[0]?.n)).toEqual(values(1_000));
  });

  it("throws limit_exceeded from drizzle's db.batch too", async () => {
    const db = createDb(env.STATE_DB);
    const queries = Array.from({ length: 1_001 }, () => db.select().from(runs).limit(1));
    await expect(db.batch(queries as [(typeof queries)[number], ...typeof queries])).rejects.toMatchObject({
      code: "limit_exceeded",
    });
  });
});

describe("guardD1: pass-through", () => {
  it("keeps first/all/run/raw/exec working", async () => {
    const d1 = guardD1(env.STATE_DB);
    expect(await d1.prepare("SELECT 1 AS one").first("one")).toBe(1);
    expect(await d1.prepare("SELECT 1 AS one").first()).toEqual({ one: 1 });
    expect((await d1.prepare("SELECT ? AS v").bind("x").all()).results).toEqual([{ v: "x" }]);
    expect(await d1.prepare("SELECT 2 AS two").raw({ columnNames: true })).toEqual([["two"], [2]]);
    expect((await d1.prepare("SELECT 1").run()).success).toBe(true);
    expect((await d1.exec("SELECT 1;\nSELECT 2;")).count).toBe(2);
  });

  it("guards sessions the same way", async () => {
    const session = guardD1(env.STATE_DB).withSession("first-primary");
    expect(() => session.prepare(selectOf(101)).bind(...values(101))).toThrow(
      expect.objectContaining({ code: "too_many_parameters" }),
    );
    const stmts = Array.from({ length: 1_001 }, () => session.prepare("SELECT 1"));
    await expect(async () => session.batch(stmts)).rejects.toMatchObject({ code: "limit_exceeded" });
    const [result] = await session.batch([session.prepare("SELECT ? AS v").bind(7)]);
    expect(result?.results).toEqual([{ v: 7 }]);
  });
});
