import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createDb,
  getLiveToken,
  getTokenByHash,
  hasLiveToken,
  insertToken,
  listTokens,
  replaceToken,
  revokeToken,
  type Token,
  touchToken,
} from "../src/index.js";
import { ensureAdminToken } from "../src/migrate.js";
import { newId } from "./fixtures.js";

const db = createDb(env.STATE_DB);

function token(overrides: Partial<Token> = {}): Token {
  const id = newId("t").replace("t_", "tk_");
  return {
    id,
    name: `runner-${id}`,
    scope: "runner",
    tokenHash: `${id}`.padEnd(64, "0"),
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe("tokens", () => {
  it("finds a token by hash, lists it without its hash, and revokes it by name", async () => {
    const t = token();
    await insertToken(db, t);
    expect(await getTokenByHash(env.STATE_DB, t.tokenHash)).toEqual(t);
    const listed = (await listTokens(db)).find((x) => x.name === t.name);
    expect(listed).toEqual({
      name: t.name,
      scope: "runner",
      createdAt: t.createdAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(await listTokens(db, { all: true }))).not.toContain(t.tokenHash);
    await touchToken(db, t.id, "2026-12-01T00:00:00.000Z");
    expect((await getLiveToken(db, t.name))?.lastUsedAt).toBe("2026-12-01T00:00:00.000Z");
    expect(await revokeToken(db, t.name, "2026-12-01T00:00:01.000Z")).toBe(true);
    expect(await revokeToken(db, t.name, "2026-12-01T00:00:02.000Z")).toBe(false);
    expect((await getTokenByHash(env.STATE_DB, t.tokenHash))?.revokedAt).toBe("2026-12-01T00:00:01.000Z");
    expect(await getLiveToken(db, t.name)).toBeNull();
  });

  it("keeps live names unique, but a revoked name can be used again", async () => {
    const t = token();
    await insertToken(db, t);
    await expect(insertToken(db, token({ name: t.name }))).rejects.toMatchObject({ code: "conflict" });
    await revokeToken(db, t.name, new Date().toISOString());
    await insertToken(db, token({ name: t.name }));
    expect((await listTokens(db, { all: true })).filter((x) => x.name === t.name)).toHaveLength(2);
  });

  it("replaces a token in one batch", async () => {
    const t = token();
    await insertToken(db, t);
    const next = token({ name: t.name });
    await replaceToken(db, next);
    expect((await getTokenByHash(env.STATE_DB, t.tokenHash))?.revokedAt).toBe(next.createdAt);
    expect((await getLiveToken(db, t.name))?.id).toBe(next.id);
  });

  it("makes one admin token live at a time (the local stack's start)", async () => {
    const first = "a".repeat(64);
    const second = "b".repeat(64);
    expect(await ensureAdminToken(env.STATE_DB, first, "2026-12-01T00:00:00.000Z")).toBe(true);
    expect(await ensureAdminToken(env.STATE_DB, first, "2026-12-01T00:00:01.000Z")).toBe(false);
    expect(await hasLiveToken(db, "admin")).toBe(true);
    expect(await ensureAdminToken(env.STATE_DB, second, "2026-12-01T00:00:02.000Z")).toBe(true);
    expect((await getTokenByHash(env.STATE_DB, first))?.revokedAt).toBe("2026-12-01T00:00:02.000Z");
    expect((await getLiveToken(db, "admin"))?.tokenHash).toBe(second);
  });
});
