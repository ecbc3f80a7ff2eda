import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createDb,
  deleteSession,
  getLiveSession,
  insertLoginCode,
  insertSession,
  loginCodes,
  redeemLoginCode,
  sessions,
} from "../src/index.js";

const db = createDb(env.STATE_DB);
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();

describe("login codes", () => {
  it("are redeemed once, then refused as used; an expired or unknown code is refused as such", async () => {
    const codeHash = crypto.randomUUID();
    await insertLoginCode(db, { codeHash, runId: "r_aaaaaaaaaaaa", createdAt: at(0), expiresAt: at(5) });
    const first = await redeemLoginCode(db, codeHash, at(1));
    expect(first).toEqual({
      ok: true,
      code: { codeHash, runId: "r_aaaaaaaaaaaa", createdAt: at(0), expiresAt: at(5), usedAt: at(1) },
    });
    expect(await redeemLoginCode(db, codeHash, at(2))).toEqual({ ok: false, reason: "used" });

    const late = crypto.randomUUID();
    await insertLoginCode(db, { codeHash: late, runId: null, createdAt: at(0), expiresAt: at(5) });
    expect(await redeemLoginCode(db, late, at(5))).toEqual({ ok: false, reason: "expired" });
    expect(await redeemLoginCode(db, crypto.randomUUID(), at(1))).toEqual({ ok: false, reason: "unknown" });
  });

  it("lets only one of two concurrent exchanges of a code through", async () => {
    const codeHash = crypto.randomUUID();
    await insertLoginCode(db, { codeHash, runId: null, createdAt: at(0), expiresAt: at(5) });
    const results = await Promise.all([redeemLoginCode(db, codeHash, at(1)), redeemLoginCode(db, codeHash, at(1))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("sweeps expired codes and sessions when a new code is stored", async () => {
    const oldCode = crypto.randomUUID();
    const oldSession = crypto.randomUUID();
    await insertLoginCode(db, { codeHash: oldCode, runId: null, createdAt: at(0), expiresAt: at(5) });
    await insertSession(db, { idHash: oldSession, createdAt: at(0), expiresAt: at(10) });
    await insertLoginCode(db, { codeHash: crypto.randomUUID(), runId: null, createdAt: at(30), expiresAt: at(35) });
    const codes = await db.select().from(loginCodes).all();
    const live = await db.select().from(sessions).all();
    expect(codes.map((c) => c.codeHash)).not.toContain(oldCode);
    expect(live.map((s) => s.idHash)).not.toContain(oldSession);
  });
});

describe("sessions", () => {
  it("are live until they expire or are deleted", async () => {
    const idHash = crypto.randomUUID();
    await insertSession(db, { idHash, createdAt: at(0), expiresAt: at(60) });
    expect(await getLiveSession(db, idHash, at(59))).toEqual({ idHash, createdAt: at(0), expiresAt: at(60) });
    expect(await getLiveSession(db, idHash, at(60))).toBeNull();
    await deleteSession(db, idHash);
    expect(await getLiveSession(db, idHash, at(1))).toBeNull();
    await deleteSession(db, idHash);
  });
});
