import type { AuditVerifyResponse, RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
  uploadSnapshot,
} from "@bernstein/testing";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

/**
 * Tampering with a sealed run's audit chain, in D1 and in the R2 seal, directly through the
 * stack's own storage (as someone with access to the database or the bucket would): every
 * change must make `POST /v1/audit/verify` fail and name the link.
 */

const COLUMNS = ["run_id", "seq", "at", "actor", "action", "data", "prev_hmac", "hmac"] as const;
type Row = Record<(typeof COLUMNS)[number], string | number>;

let t: TestStack;
let runId: string;
let db: Awaited<ReturnType<Miniflare["getD1Database"]>>;
let bucket: Awaited<ReturnType<Miniflare["getR2Bucket"]>>;
let rows: Row[];
let sealText: string;
let verifies = 0;

beforeAll(async () => {
  t = await startTestStack(calculatorScript());
  const snapshot = await uploadSnapshot(t, calculatorFiles());
  const created = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: CALCULATOR_GOAL, baseSnapshot: snapshot.sha256, plan: CALCULATOR_PLAN }),
  });
  runId = ((await created.json()) as RunView).id;
  for (const deadline = Date.now() + 90_000; ; ) {
    const view = (await (await t.api(`/v1/runs/${runId}`)).json()) as RunView;
    if (view.status === "completed") break;
    if (Date.now() > deadline) throw new Error("the run did not complete");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  db = await t.stack.miniflare.getD1Database("STATE_DB");
  bucket = await t.stack.miniflare.getR2Bucket("ARTIFACTS");
  rows = (
    await db
      .prepare(`SELECT ${COLUMNS.join(", ")} FROM audit_events WHERE run_id = ? ORDER BY seq`)
      .bind(runId)
      .all<Row>()
  ).results;
  sealText = (await (await bucket.get(`runs/${runId}/audit.jsonl`))?.text()) ?? "";
});

afterAll(async () => {
  // biome-ignore lint/suspicious/noConsole: the figure for the report
  console.log(`audit: ${rows?.length} links, ${verifies} tampered verifications`);
  await t?.stop();
});

async function verify(): Promise<AuditVerifyResponse["runs"][number]> {
  verifies++;
  const res = await t.api("/v1/audit/verify", { method: "POST", body: JSON.stringify({ runId }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as AuditVerifyResponse;
  expect(body.runs).toHaveLength(1);
  return body.runs[0] as AuditVerifyResponse["runs"][number];
}

/** Byte positions spread over a text: both ends and the middle (the HMAC covers every byte alike). */
const spread = (length: number) => [...new Set([0, length >> 1, length - 1])].filter((i) => i >= 0 && i < length);

const flip = (text: string, i: number) =>
  text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);

async function setColumn(seq: number, column: string, value: string | number, ofRun = runId): Promise<void> {
  await db.prepare(`UPDATE audit_events SET ${column} = ? WHERE run_id = ? AND seq = ?`).bind(value, ofRun, seq).run();
}

/** A run row named `id`, a copy of the run's own (a link moved to another run needs one to exist). */
async function copyOfRun(id: string): Promise<void> {
  const { results } = await db.prepare("PRAGMA table_info(runs)").all<{ name: string }>();
  const columns = results.map((c) => c.name);
  const values = columns.map((c) => (c === "id" ? "?" : c === "idempotency_key" ? "NULL" : c));
  await db
    .prepare(`INSERT INTO runs (${columns.join(", ")}) SELECT ${values.join(", ")} FROM runs WHERE id = ?`)
    .bind(id, runId)
    .run();
}

describe("audit verify on a sealed run", () => {
  it("passes on the untouched chain, sealed with every link", async () => {
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, sealed: true, events: rows.length, broken: null });
    // The chain records decisions, not only the user's: claims, transitions, merges.
    const actions = new Set(rows.map((r) => r.action));
    for (const action of [
      "run.create",
      "plan.accept",
      "task.status",
      "attempt.started",
      "merge.applied",
      "run.status",
    ]) {
      expect(actions).toContain(action);
    }
    expect(sealText.trim().split("\n")).toHaveLength(rows.length + 1);
  });

  it("names the link when a byte of any field of a stored link changes in D1 (first, middle and last link)", async () => {
    for (const target of [rows[0], rows[Math.floor(rows.length / 2)], rows.at(-1)] as Row[]) {
      const seq = Number(target.seq);
      for (const column of COLUMNS) {
        const original = target[column];
        const text = String(original);
        const tampered: (string | number)[] =
          column === "seq" ? [8, 11].map((bit) => seq ^ (1 << bit)) : spread(text.length).map((i) => flip(text, i));
        for (const value of tampered) {
          if (column === "run_id") await copyOfRun(String(value));
          await setColumn(seq, column, value);
          const verdict = await verify();
          if (column === "run_id") await setColumn(seq, column, original, String(value));
          else await setColumn(Number(column === "seq" ? value : seq), column, original);
          if (column === "run_id") await db.prepare("DELETE FROM runs WHERE id = ?").bind(String(value)).run();
          expect(verdict.ok, `${column} = ${JSON.stringify(value)}`).toBe(false);
          // A last link moved to another run leaves a shorter, intact chain in D1: the seal names it.
          const where = column === "run_id" && seq === rows.length ? "seal" : "d1";
          expect(verdict.broken, `${column} = ${JSON.stringify(value)}`).toMatchObject({ where, seq });
        }
      }
    }
    expect((await verify()).ok).toBe(true);
  }, 600_000);

  it("names the link when a byte of a sealed link or of the seal record changes in R2", async () => {
    const lines = sealText.slice(0, -1).split("\n");
    const k = Math.floor((lines.length - 1) / 2);
    const key = `runs/${runId}/audit.jsonl`;
    const put = (next: string[]) => bucket.put(key, `${next.join("\n")}\n`);
    for (const [index, expected] of [
      [0, { where: "seal", seq: 1 }],
      [k, { where: "seal", seq: k + 1 }],
      [lines.length - 2, { where: "seal", seq: lines.length - 1 }],
      [lines.length - 1, { where: "seal", seq: null }],
    ] as const) {
      const line = lines[index] as string;
      // Every field of the line: 8 positions spread over it, both ends included.
      const positions = [...new Set(Array.from({ length: 8 }, (_, n) => Math.round((n * (line.length - 1)) / 7)))];
      for (const i of positions) {
        await put(lines.map((l, j) => (j === index ? flip(line, i) : l)));
        const verdict = await verify();
        expect(verdict.ok, `line ${index + 1} byte ${i}`).toBe(false);
        expect(verdict.broken, `line ${index + 1} byte ${i}`).toMatchObject(expected);
      }
    }
    await put(lines);
    expect((await verify()).ok).toBe(true);
  }, 600_000);

  it("names the link when a link is deleted, two are reordered, or the chain is cut after the seal", async () => {
    const k = Math.floor(rows.length / 2);
    const row = rows[k - 1] as Row;
    const insert = (r: Row) =>
      db
        .prepare(`INSERT INTO audit_events (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`)
        .bind(...COLUMNS.map((c) => r[c]))
        .run();

    await db.prepare("DELETE FROM audit_events WHERE run_id = ? AND seq = ?").bind(runId, k).run();
    expect((await verify()).broken).toMatchObject({ where: "d1", seq: k, what: expect.stringMatching(/^seq/) });
    await insert(row);

    const swap = async () => {
      await setColumn(k, "seq", -1);
      await db
        .prepare("UPDATE audit_events SET seq = ? WHERE run_id = ? AND seq = ?")
        .bind(k, runId, k + 1)
        .run();
      await db
        .prepare("UPDATE audit_events SET seq = ? WHERE run_id = ? AND seq = -1")
        .bind(k + 1, runId)
        .run();
    };
    await swap();
    expect((await verify()).broken).toMatchObject({ where: "d1", seq: k });
    await swap();
    expect((await verify()).ok).toBe(true);

    const cut = rows.slice(k);
    await db.prepare("DELETE FROM audit_events WHERE run_id = ? AND seq > ?").bind(runId, k).run();
    expect((await verify()).broken).toMatchObject({
      where: "seal",
      seq: k + 1,
      what: expect.stringMatching(/cut after the seal/),
    });
    for (const r of cut) await insert(r);
    expect((await verify()).ok).toBe(true);

    const lines = sealText.slice(0, -1).split("\n");
    const key = `runs/${runId}/audit.jsonl`;
    await bucket.put(key, `${[...lines.slice(0, -2), lines.at(-1)].join("\n")}\n`); // a sealed link dropped
    expect((await verify()).broken).toMatchObject({ where: "seal", seq: null, what: expect.stringMatching(/count/) });
    await bucket.put(key, `${lines.slice(0, -1).join("\n")}\n`); // the seal record dropped
    expect((await verify()).broken).toMatchObject({ where: "seal", seq: null });
    await bucket.delete(key);
    expect((await verify()).broken).toMatchObject({ where: "seal", what: expect.stringMatching(/not sealed/) });
    await bucket.put(key, sealText);
    expect((await verify()).ok).toBe(true);
  });

  it("exports the sealed chain as JSON lines", async () => {
    const res = await t.api(`/v1/audit/${runId}`);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(await res.text()).toBe(sealText);
  });
});
