import { createHash } from "node:crypto";
import type { Miniflare } from "miniflare";

/** Every row of every D1 table and every R2 object with its SHA-256: what "nothing changed" compares. */
export interface StateDump {
  d1: Record<string, unknown[]>;
  r2: { key: string; size: number; sha256: string }[];
}

/** Dumps D1 (each table by rowid) and R2 (each object hashed) through Miniflare's own handles. */
export async function dumpState(mf: Miniflare): Promise<StateDump> {
  const db = await mf.getD1Database("STATE_DB");
  const { results: tables } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    )
    .all<{ name: string }>();
  const d1: Record<string, unknown[]> = {};
  for (const { name } of tables) d1[name] = (await db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()).results;
  const bucket = await mf.getR2Bucket("ARTIFACTS");
  const r2: StateDump["r2"] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) {
      const body = await bucket.get(object.key);
      const bytes = new Uint8Array(await (body as unknown as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer());
      r2.push({ key: object.key, size: object.size, sha256: createHash("sha256").update(bytes).digest("hex") });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { d1, r2 };
}

/** Rows and objects that differ between two dumps (0 when nothing changed). */
export function changedBetween(before: StateDump, after: StateDump): number {
  let changed = 0;
  for (const table of new Set([...Object.keys(before.d1), ...Object.keys(after.d1)])) {
    const a = (before.d1[table] ?? []).map((row) => JSON.stringify(row));
    const b = new Set((after.d1[table] ?? []).map((row) => JSON.stringify(row)));
    changed += a.filter((row) => !b.has(row)).length + Math.max(0, b.size - a.length);
  }
  const objects = new Set(before.r2.map((o) => JSON.stringify(o)));
  changed +=
    after.r2.filter((o) => !objects.has(JSON.stringify(o))).length + Math.max(0, before.r2.length - after.r2.length);
  return changed;
}

/** Waits until two dumps a little apart are equal: background work (workflows ending) has settled. */
export async function settledState(mf: Miniflare, timeoutMs = 30_000): Promise<StateDump> {
  const deadline = Date.now() + timeoutMs;
  let last = await dumpState(mf);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const next = await dumpState(mf);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    if (Date.now() > deadline) throw new Error("the stack's state did not settle");
    last = next;
  }
}
