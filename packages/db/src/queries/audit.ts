import type { AuditEvent } from "@bernstein/core";
import { asc, eq } from "drizzle-orm";
import { runInGroups, type Stmt } from "../batch.js";
import type { Db } from "../create-db.js";
import { chunkRows } from "../param-budget.js";
import { auditEvents } from "../schema.js";

/** The INSERTs of audit links, chunked to D1's parameter limit, for a batch. */
export function insertAuditEventsStmts(db: Db, list: readonly AuditEvent[]): Stmt[] {
  return chunkRows(auditEvents, list).map((rows) => db.insert(auditEvents).values(rows));
}

/** Appends links to runs' audit chains; a `(runId, seq)` already stored is a `conflict`. */
export async function insertAuditEvents(db: Db, list: readonly AuditEvent[]): Promise<void> {
  await runInGroups(db, insertAuditEventsStmts(db, list));
}

/** A run's audit chain in `seq` order (the first `limit` links when given). */
export async function getAuditEvents(db: Db, runId: string, options: { limit?: number } = {}): Promise<AuditEvent[]> {
  const query = db.select().from(auditEvents).where(eq(auditEvents.runId, runId)).orderBy(asc(auditEvents.seq));
  return options.limit === undefined ? query : query.limit(options.limit);
}
