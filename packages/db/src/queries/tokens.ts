import type { TokenInfo, TokenScope } from "@bernstein/core";
import { and, asc, eq, isNull } from "drizzle-orm";
import { runBatch, withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { type TokenRow, tokens } from "../schema-tokens.js";

export type Token = TokenRow;

/** Stores a new token; a name already in use by a live token is a `conflict`. */
export async function insertToken(db: Db, token: Token): Promise<void> {
  await withDbErrors(() => db.insert(tokens).values(token));
}

/**
 * The token (live or revoked) whose SHA-256 is `tokenHash`, or null. Every authenticated
 * request asks this (revocation holds from the next request on, so nothing is cached): one
 * prepared statement on the raw binding, without the query builder.
 */
export async function getTokenByHash(d1: D1Database, tokenHash: string): Promise<Token | null> {
  const row = await d1
    .prepare(
      "SELECT id, name, scope, token_hash AS tokenHash, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt FROM tokens WHERE token_hash = ?",
    )
    .bind(tokenHash)
    .first<Token>();
  return row ?? null;
}

/** The live token named `name`, or null. */
export async function getLiveToken(db: Db, name: string): Promise<Token | null> {
  return (
    (await db
      .select()
      .from(tokens)
      .where(and(eq(tokens.name, name), isNull(tokens.revokedAt)))
      .get()) ?? null
  );
}

/** True when a live token of `scope` exists. */
export async function hasLiveToken(db: Db, scope: TokenScope): Promise<boolean> {
  const row = await db
    .select({ id: tokens.id })
    .from(tokens)
    .where(and(eq(tokens.scope, scope), isNull(tokens.revokedAt)))
    .get();
  return row !== undefined;
}

/** Every token, oldest first, without values or hashes; revoked ones only with `all`. */
export async function listTokens(db: Db, options: { all?: boolean } = {}): Promise<TokenInfo[]> {
  const rows = await db
    .select()
    .from(tokens)
    .where(options.all ? undefined : isNull(tokens.revokedAt))
    .orderBy(asc(tokens.createdAt), asc(tokens.name));
  return rows.map((row) => ({
    name: row.name,
    scope: row.scope,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  }));
}

/** Revokes the live token `name`; false when there is none. */
export async function revokeToken(db: Db, name: string, now: string): Promise<boolean> {
  const revoked = await db
    .update(tokens)
    .set({ revokedAt: now })
    .where(and(eq(tokens.name, name), isNull(tokens.revokedAt)))
    .returning({ id: tokens.id });
  return revoked.length > 0;
}

/** Revokes the live token of the new token's name and stores the new one, in one batch. */
export async function replaceToken(db: Db, next: Token): Promise<void> {
  await runBatch(db, [
    db
      .update(tokens)
      .set({ revokedAt: next.createdAt })
      .where(and(eq(tokens.name, next.name), isNull(tokens.revokedAt))),
    db.insert(tokens).values(next),
  ]);
}

/** Records a successful request of the token. */
export async function touchToken(db: Db, id: string, now: string): Promise<void> {
  await db.update(tokens).set({ lastUsedAt: now }).where(eq(tokens.id, id));
}
