/** The tables whose changed rows reach D1 through the outbox. */
export type OutboxTable = "runs" | "tasks" | "attempts" | "jobs";

/** A row D1 lacks: at the position of its first change since D1 had it, with the commit of its last. */
export interface OutboxEntry {
  table: OutboxTable;
  key: string;
  pos: number;
  gen: number;
  /** The commit that gave it its position. */
  firstGen: number;
}

/**
 * Which rows D1 lacks. Stored as one `outbox_commits` row per commit, the `[table, key]` of
 * every row it wrote (one insert, however many rows: a row per changed row cost an insert, an
 * index entry and a delete each). Held in memory as one entry per row, in position order, which
 * is what the drain reads; read back from the stored commits when the object wakes.
 *
 * A stored commit goes once every row it names is in D1: all commits older than the oldest
 * entry's `firstGen` (a row with an entry has all its changes since then in those commits).
 * Read back, a kept commit may name a row D1 has already: it is copied again, which an upsert
 * of the row as it is now makes harmless.
 */
export class Outbox {
  private loadedEntries: Map<string, OutboxEntry> | undefined;
  /** Gens of the stored commits, oldest first. */
  private readonly stored: number[] = [];
  private genNow = 0;
  private posNow = 0;

  constructor(private readonly sql: SqlStorage) {}

  /** The last commit's gen (counted from the stored commits when the object woke). */
  get gen(): number {
    this.entries();
    return this.genNow;
  }

  get size(): number {
    return this.entries().size;
  }

  /** Stores the rows commit `gen` wrote; inside that commit's transaction. */
  store(gen: number, rows: readonly [OutboxTable, string][]): void {
    if (rows.length === 0) return;
    this.sql.exec("INSERT INTO outbox_commits (gen, rows) VALUES (?, ?)", gen, JSON.stringify(rows));
  }

  /** The commit `gen` is durable: its rows become entries. */
  committed(gen: number, rows: readonly [OutboxTable, string][]): void {
    const entries = this.entries();
    this.genNow = gen;
    if (rows.length === 0) return;
    this.stored.push(gen);
    for (const [table, key] of rows) this.note(entries, table, key, gen);
  }

  /** Up to `limit` entries, oldest position first. */
  first(limit: number): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const entry of this.entries().values()) {
      if (out.length >= limit) break;
      out.push(entry);
    }
    return out;
  }

  /**
   * D1 has the rows as they were at commit `gen`, of the entries up to position `pos`: those
   * go, unless their row changed since, and so do the stored commits no entry needs.
   */
  acknowledge(pos: number, gen: number): void {
    const entries = this.entries();
    for (const [id, entry] of entries) {
      if (entry.pos > pos) break;
      if (entry.gen <= gen) entries.delete(id);
    }
    let keepFrom = Number.POSITIVE_INFINITY;
    for (const entry of entries.values()) keepFrom = Math.min(keepFrom, entry.firstGen);
    let drop = 0;
    while (drop < this.stored.length && (this.stored[drop] ?? 0) < keepFrom) drop += 1;
    if (drop === 0) return;
    this.sql.exec("DELETE FROM outbox_commits WHERE gen <= ?", this.stored[drop - 1] ?? 0);
    this.stored.splice(0, drop);
  }

  private entries(): Map<string, OutboxEntry> {
    if (this.loadedEntries) return this.loadedEntries;
    const entries = new Map<string, OutboxEntry>();
    for (const row of this.sql.exec("SELECT gen, rows FROM outbox_commits ORDER BY gen")) {
      const gen = Number(row.gen);
      this.stored.push(gen);
      this.genNow = gen;
      for (const [table, key] of JSON.parse(String(row.rows)) as [OutboxTable, string][]) {
        this.note(entries, table, key, gen);
      }
    }
    this.loadedEntries = entries;
    return entries;
  }

  private note(entries: Map<string, OutboxEntry>, table: OutboxTable, key: string, gen: number): void {
    const id = `${table}:${key}`;
    const entry = entries.get(id);
    if (entry) entry.gen = gen;
    else {
      this.posNow += 1;
      entries.set(id, { table, key, pos: this.posNow, gen, firstGen: gen });
    }
  }
}
