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
  /** The row as its last commit wrote it; null when read back from the stored commits. */
  row: Record<string, unknown> | null;
}

/** A row a commit wrote: its table, key, and the row itself. */
export type WrittenRow = [table: OutboxTable, key: string, row: Record<string, unknown>];

/**
 * Which rows D1 lacks. Stored as one `outbox_commits` row per commit, the `[table, key]` of
 * every row it wrote: one row written per commit, however many rows it wrote (a row per
 * changed row cost an insert, an index entry and a delete each). Held in memory as one entry
 * per row, in position order, with the row as last written (the drain sends it without reading
 * it back); read back from the stored commits when the object wakes (the drain reads those rows).
 *
 * A stored commit is needed until every row it names is in D1: D1 may lack rows of the commits
 * from the oldest entry's `firstGen` on (a row with an entry has all its changes since then in
 * those commits). That gen is kept as `read_model.outbox_from` with D1's cursors; an older
 * commit's row is not deleted (another row written) but its slot taken by the next commit.
 * Read back, a kept commit may name a row D1 has already: it is copied again, which an upsert
 * of the row as it is now makes harmless.
 */
export class Outbox {
  private loadedEntries: Map<string, OutboxEntry> | undefined;
  /** The stored commits D1 may lack rows of, oldest first. */
  private readonly live: { gen: number; slot: number }[] = [];
  /** Slots of commits D1 has whole, for the next commits to take. */
  private readonly free: number[] = [];
  private slots = 0;
  private genNow = 0;
  private posNow = 0;
  private fromNow = 0;

  constructor(private readonly sql: SqlStorage) {}

  /** The last commit's gen (counted on from the stored commits when the object woke). */
  get gen(): number {
    this.entries();
    return this.genNow;
  }

  /** The oldest commit D1 may lack rows of (`read_model.outbox_from`). */
  get from(): number {
    this.entries();
    return this.fromNow;
  }

  get size(): number {
    return this.entries().size;
  }

  /** Stores the rows commit `gen` wrote; inside that commit's transaction. */
  store(gen: number, rows: readonly WrittenRow[]): void {
    if (rows.length === 0) return;
    this.sql.exec(
      "INSERT INTO outbox_commits (slot, gen, rows) VALUES (?, ?, ?) ON CONFLICT (slot) DO UPDATE SET gen = excluded.gen, rows = excluded.rows",
      this.free.at(-1) ?? this.slots,
      gen,
      JSON.stringify(rows.map(([table, key]) => [table, key])),
    );
  }

  /** The commit `gen` is durable (`store` took the slot it names): its rows become entries. */
  committed(gen: number, rows: readonly WrittenRow[]): void {
    const entries = this.entries();
    this.genNow = gen;
    if (rows.length === 0) return;
    this.live.push({ gen, slot: this.free.pop() ?? this.slots++ });
    for (const [table, key, row] of rows) this.note(entries, table, key, gen, row);
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
   * go, unless their row changed since. Returns the new `from`, for the caller to store in the
   * same transaction; the slots it frees are taken once that is durable (`freed`).
   */
  acknowledge(pos: number, gen: number): number {
    const entries = this.entries();
    for (const [id, entry] of entries) {
      if (entry.pos > pos) break;
      if (entry.gen <= gen) entries.delete(id);
    }
    let from = this.genNow + 1;
    for (const entry of entries.values()) from = Math.min(from, entry.firstGen);
    return Math.max(from, this.fromNow);
  }

  /** The `from` that `acknowledge` returned is durable: the commits before it give up their slots. */
  freed(from: number): void {
    this.fromNow = from;
    while ((this.live[0]?.gen ?? from) < from) this.free.push((this.live.shift() as { slot: number }).slot);
  }

  private entries(): Map<string, OutboxEntry> {
    if (this.loadedEntries) return this.loadedEntries;
    const entries = new Map<string, OutboxEntry>();
    this.fromNow = Number(this.sql.exec("SELECT outbox_from FROM read_model WHERE id = 1").one().outbox_from);
    for (const row of this.sql.exec("SELECT slot, gen, rows FROM outbox_commits ORDER BY gen")) {
      const slot = Number(row.slot);
      const gen = Number(row.gen);
      this.slots = Math.max(this.slots, slot + 1);
      this.genNow = Math.max(this.genNow, gen);
      if (gen < this.fromNow) {
        this.free.push(slot);
        continue;
      }
      this.live.push({ gen, slot });
      for (const [table, key] of JSON.parse(String(row.rows)) as [OutboxTable, string][]) {
        this.note(entries, table, key, gen, null);
      }
    }
    this.genNow = Math.max(this.genNow, this.fromNow - 1);
    this.loadedEntries = entries;
    return entries;
  }

  private note(
    entries: Map<string, OutboxEntry>,
    table: OutboxTable,
    key: string,
    gen: number,
    row: Record<string, unknown> | null,
  ): void {
    const id = `${table}:${key}`;
    const entry = entries.get(id);
    if (entry) {
      entry.gen = gen;
      entry.row = row;
    } else {
      this.posNow += 1;
      entries.set(id, { table, key, pos: this.posNow, gen, firstGen: gen, row });
    }
  }
}
