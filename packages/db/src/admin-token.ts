import type { MigrationDatabase } from "./apply-migrations.js";

/**
 * Makes `tokenHash` the stack's one live admin token, for the process that owns the stack's
 * state (the local stack, at every start): a different live admin token is revoked, the given
 * one stored unless it already is. Raw SQL over the structural D1 type, so Node code can call
 * it through Miniflare's D1 proxy. Returns true when it changed anything.
 */
export async function ensureAdminToken(db: MigrationDatabase, tokenHash: string, now: string): Promise<boolean> {
  const { results } = await db
    .prepare("SELECT token_hash FROM tokens WHERE name = 'admin' AND revoked_at IS NULL")
    .all<{ token_hash: string }>();
  if (results.some((row) => row.token_hash === tokenHash)) return false;
  const id = `tk_${tokenHash.slice(0, 12)}`;
  await db.batch([
    db.prepare("UPDATE tokens SET revoked_at = ? WHERE name = 'admin' AND revoked_at IS NULL").bind(now),
    db
      .prepare(
        "INSERT INTO tokens (id, name, scope, token_hash, created_at, last_used_at, revoked_at) VALUES (?, 'admin', 'admin', ?, ?, NULL, NULL)",
      )
      .bind(id, tokenHash, now),
  ]);
  return true;
}
