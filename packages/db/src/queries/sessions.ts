import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { type LoginCodeRow, loginCodes, type SessionRow, sessions } from "../schema-sessions.js";

export type LoginCode = LoginCodeRow;
export type Session = SessionRow;

/** What a login code exchange found: the code's row when it was good, else why not. */
export type RedeemedCode = { ok: true; code: LoginCode } | { ok: false; reason: "unknown" | "expired" | "used" };

/** Stores a login code (by its hash), dropping codes and sessions that have expired. */
export async function insertLoginCode(db: Db, code: Omit<LoginCode, "usedAt">): Promise<void> {
  await withDbErrors(() =>
    db.batch([
      db.delete(loginCodes).where(lte(loginCodes.expiresAt, code.createdAt)),
      db.delete(sessions).where(lte(sessions.expiresAt, code.createdAt)),
      db.insert(loginCodes).values({ ...code, usedAt: null }),
    ]),
  );
}

/**
 * Uses a login code up: one UPDATE that only an unused, unexpired code passes, so two
 * exchanges of the same code can never both succeed.
 */
export async function redeemLoginCode(db: Db, codeHash: string, now: string): Promise<RedeemedCode> {
  const used = await db
    .update(loginCodes)
    .set({ usedAt: now })
    .where(and(eq(loginCodes.codeHash, codeHash), isNull(loginCodes.usedAt), gt(loginCodes.expiresAt, now)))
    .returning()
    .get();
  if (used) return { ok: true, code: used };
  const row = await db.select().from(loginCodes).where(eq(loginCodes.codeHash, codeHash)).get();
  if (!row) return { ok: false, reason: "unknown" };
  return { ok: false, reason: row.usedAt === null ? "expired" : "used" };
}

/** Stores a session (by the hash of its cookie's secret). */
export async function insertSession(db: Db, session: Session): Promise<void> {
  await withDbErrors(() => db.insert(sessions).values(session));
}

/** The session with this hash while it has not expired, else null. */
export async function getLiveSession(db: Db, idHash: string, now: string): Promise<Session | null> {
  return (
    (await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)))
      .get()) ?? null
  );
}

/** Ends a session (log out). Ending one that is gone changes nothing. */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}
