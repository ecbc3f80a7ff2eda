import { count, eq, gte } from "drizzle-orm";
import { withDbErrors } from "../batch.js";
import type { Db } from "../create-db.js";
import { type RunnerRow, runners } from "../schema.js";

export type Runner = RunnerRow;

/** Registers a runner (its token is stored only as a hash). */
export async function insertRunner(db: Db, runner: Runner): Promise<void> {
  await withDbErrors(() => db.insert(runners).values(runner));
}

/** The runner whose token has this SHA-256, or null. */
export async function getRunnerByTokenHash(db: Db, tokenHash: string): Promise<Runner | null> {
  return (await db.select().from(runners).where(eq(runners.tokenHash, tokenHash)).get()) ?? null;
}

/** Records that a runner was seen now. */
export async function touchRunner(db: Db, id: string, now: string): Promise<void> {
  await db.update(runners).set({ lastSeenAt: now }).where(eq(runners.id, id));
}

/** How many runners were seen at or after `since` (an ISO time): the connected ones. */
export async function countRunnersSeenSince(db: Db, since: string): Promise<number> {
  const row = await db.select({ n: count() }).from(runners).where(gte(runners.lastSeenAt, since)).get();
  return row?.n ?? 0;
}
