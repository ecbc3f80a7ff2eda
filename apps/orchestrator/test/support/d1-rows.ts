import type { Miniflare } from "miniflare";

/** The tables that hold a run's rows in D1. */
export const RUN_TABLES = ["runs", "tasks", "attempts", "events", "audit_events", "cost_events", "jobs"] as const;

/** Every D1 row of the run, by table, in key order. */
export async function readModel(mf: Miniflare, runId: string): Promise<Record<string, Record<string, unknown>[]>> {
  const db = await mf.getD1Database("STATE_DB");
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of RUN_TABLES) {
    const where = table === "runs" ? "id = ?" : "run_id = ?";
    const order = table === "events" || table === "audit_events" ? "seq" : table === "cost_events" ? "id" : "rowid";
    out[table] = (
      await db.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${order}`).bind(runId).all()
    ).results;
  }
  return out;
}
