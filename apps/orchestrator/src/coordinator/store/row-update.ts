import { type Column, getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * `UPDATE ... SET` of only the columns a change touched, by `id`. SQLite rewrites every index
 * that holds a column the SET names, changed or not, and each index entry is a row written:
 * an upsert of every column rewrote a task's three indexes for a new version number.
 */
export class RowUpdate<Row extends { id: string }> {
  private readonly columns: { key: string; column: Column }[];
  private readonly table: string;
  /** Statement texts by the set of columns they update. */
  private readonly texts = new Map<string, string>();

  constructor(table: SQLiteTable) {
    this.table = getTableName(table);
    this.columns = Object.entries(getTableColumns(table))
      .filter(([key]) => key !== "id")
      .map(([key, column]) => ({ key, column }));
  }

  /** The statement and its values that make `before` (as stored) `after`, or null when they are equal. */
  of(before: Row, after: Row): { sql: string; values: unknown[] } | null {
    let id = "";
    const values: unknown[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const { key, column } = this.columns[i] as { key: string; column: Column };
      const next = (after as Record<string, unknown>)[key];
      const prev = (before as Record<string, unknown>)[key];
      // Drafts are spreads of the stored row: an untouched field is the same value.
      if (next === prev) continue;
      const value = driverValue(column, next);
      if (value === driverValue(column, prev)) continue;
      id += `${i},`;
      values.push(value);
    }
    if (values.length === 0) return null;
    values.push(after.id);
    return { sql: this.text(id), values };
  }

  private text(id: string): string {
    const known = this.texts.get(id);
    if (known) return known;
    const set = id
      .slice(0, -1)
      .split(",")
      .map((i) => `"${this.columns[Number(i)]?.column.name}" = ?`)
      .join(", ");
    const text = `UPDATE "${this.table}" SET ${set} WHERE "id" = ?`;
    this.texts.set(id, text);
    return text;
  }
}

function driverValue(column: Column, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}
