import { env } from "cloudflare:workers";
import { AuditEvent, RunEvent } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import {
  createDb,
  getAuditEvents,
  getEventsAfter,
  insertAuditEvents,
  insertAuditEventsStmts,
  insertEvents,
  insertEventsStmts,
  insertRun,
  lastEventSeq,
} from "../src/index.js";
import { makeAuditChain, makeEvents, makeRun } from "./fixtures.js";

const db = createDb(env.STATE_DB);

async function newRun(): Promise<string> {
  const run = makeRun();
  await insertRun(db, run);
  return run.id;
}

describe("events", () => {
  it("round-trips events, JSON data included", async () => {
    const runId = await newRun();
    const list = makeEvents(runId, 5).map((e) => RunEvent.parse(e));
    await insertEvents(db, list);
    expect(await getEventsAfter(db, runId, 0)).toEqual(list);
  });

  it("replays after a seq, ascending, up to a limit", async () => {
    const runId = await newRun();
    const list = makeEvents(runId, 2_500);
    // 6 columns: 16 rows per statement, and 157 statements in one batch.
    expect(insertEventsStmts(db, list)).toHaveLength(157);
    await insertEvents(db, [...list].reverse());
    const page = await getEventsAfter(db, runId, 1_000, 10);
    expect(page.map((e) => e.seq)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
    expect(await getEventsAfter(db, runId, 0)).toHaveLength(1_000);
    expect(await getEventsAfter(db, runId, 2_500)).toEqual([]);
    expect(await lastEventSeq(db, runId)).toBe(2_500);
  });

  it("reports 0 as the last seq of a run without events", async () => {
    expect(await lastEventSeq(db, await newRun())).toBe(0);
  });

  it("refuses a seq that is already stored", async () => {
    const runId = await newRun();
    await insertEvents(db, makeEvents(runId, 3));
    await expect(insertEvents(db, makeEvents(runId, 1, 3))).rejects.toMatchObject({ code: "conflict" });
  });

  it("refuses events of an unknown run", async () => {
    await expect(insertEvents(db, makeEvents("r_000000000000", 1))).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("audit events", () => {
  it("round-trips a chain in seq order", async () => {
    const runId = await newRun();
    const chain = makeAuditChain(runId, 30).map((e) => AuditEvent.parse(e));
    // 8 columns: 12 links per statement.
    expect(insertAuditEventsStmts(db, chain)).toHaveLength(3);
    await insertAuditEvents(db, [...chain].reverse());
    expect(await getAuditEvents(db, runId)).toEqual(chain);
  });

  it("refuses a second link with the same seq", async () => {
    const runId = await newRun();
    const [first] = makeAuditChain(runId, 1);
    if (!first) throw new Error("fixture");
    await insertAuditEvents(db, [first]);
    await expect(insertAuditEvents(db, [{ ...first, hmac: "f".repeat(64) }])).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await getAuditEvents(db, runId)).toEqual([first]);
  });
});
