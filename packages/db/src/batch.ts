import { BernsteinError, LIMITS } from "@bernstein/core";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./create-db.js";
import { chunk } from "./param-budget.js";

/**
 * One statement a caller can put into `db.batch()`: what every `...Stmts` function returns.
 * A drizzle query builder, so `toSQL()` shows its SQL and bound parameters.
 */
export type Stmt = BatchItem<"sqlite"> & { toSQL(): { sql: string; params: unknown[] } };

/**
 * Runs statements as one D1 batch (one transaction: all or nothing) and turns constraint
 * failures into BernsteinErrors. An empty list is a no-op.
 */
export async function runBatch(db: Db, stmts: readonly BatchItem<"sqlite">[]): Promise<readonly unknown[]> {
  if (stmts.length === 0) return [];
  return withDbErrors(() => db.batch(stmts as readonly [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]));
}

/**
 * Runs statements in consecutive batches of at most `groupSize`. Each batch is atomic, the
 * whole is not: use it only for bulk writes too large for one batch (thousands of tasks).
 */
export async function runInGroups(
  db: Db,
  stmts: readonly BatchItem<"sqlite">[],
  groupSize: number = LIMITS.d1MaxStatementsPerInvocation,
): Promise<void> {
  for (const group of chunk(stmts, groupSize)) await runBatch(db, group);
}

/** Awaits a query and translates D1 constraint failures (see `translateD1Error`). */
export async function withDbErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateD1Error(error);
  }
}

/**
 * Maps a D1 error to a typed one: the `batch_guard` CHECK (a stale task version) to
 * `version_conflict`, a UNIQUE or PRIMARY KEY clash to `conflict`, a missing referenced row to
 * `not_found`; a BernsteinError wrapped by drizzle is unwrapped. Anything else is returned
 * unchanged. The new messages never carry bound values.
 */
export function translateD1Error(error: unknown): unknown {
  const chain = causesOf(error);
  // A guardD1 error reaches us wrapped in drizzle's DrizzleQueryError: hand back the original.
  const typed = chain.find((e) => e instanceof BernsteinError);
  if (typed) return typed;
  const text = chain.map((e) => e.message).join("\n");
  if (text.includes("CHECK constraint failed: version_conflict")) {
    return new BernsteinError("version_conflict", "a task changed since it was read; reload it and retry", {
      cause: error,
    });
  }
  const unique = /(?:UNIQUE|PRIMARY KEY) constraint failed: ([\w.,\s]+)/.exec(text);
  if (unique) {
    return new BernsteinError("conflict", `a row with the same ${unique[1]?.trim()} already exists`, { cause: error });
  }
  if (text.includes("FOREIGN KEY constraint failed")) {
    return new BernsteinError("not_found", "a referenced run or task does not exist", { cause: error });
  }
  return error;
}

// Drizzle wraps driver errors ("Failed query: ...") and keeps the D1 error as `cause`.
function causesOf(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && chain.length < 5; current = current.cause) chain.push(current);
  return chain;
}
