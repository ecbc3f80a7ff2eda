/**
 * The rows of an appended table (events, audit links) after D1's cursor, as they were committed,
 * so the drain sends them without reading them back. Unknown after a wake until a drain reads
 * them whole from SQLite (`known`); from then on every commit adds to it and every
 * acknowledgement takes from it.
 */
export class AppendedTail<R extends { seq: number }> {
  private rows: R[] | null = null;

  /** The rows after the cursor, or null when they must be read. */
  get known(): readonly R[] | null {
    return this.rows;
  }

  /** A read of every row after the cursor (fewer than its limit), from SQLite. */
  read(rows: readonly R[]): void {
    this.rows = [...rows];
  }

  /** Rows a commit appended (after every row known). */
  appended(rows: readonly R[]): void {
    if (this.rows && rows.length > 0) this.rows.push(...rows);
  }

  /** D1 has the rows up to `seq`. */
  acknowledged(seq: number): void {
    if (!this.rows) return;
    let drop = 0;
    while (drop < this.rows.length && (this.rows[drop] as R).seq <= seq) drop += 1;
    if (drop > 0) this.rows.splice(0, drop);
  }

  /** Forgets the rows (the table was written otherwise). */
  reset(): void {
    this.rows = null;
  }
}
