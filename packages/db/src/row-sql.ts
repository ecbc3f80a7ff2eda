import { LIMITS } from "@bernstein/core";
import { type Column, getTableColumns, getTableName } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";

/** What a multi-row INSERT does with a row whose key exists: nothing, overwrite it, or fail. */
export type OnConflict = "ignore" | "upsert" | "fail";

/** What writing rows of some table needs (any `RowSql` is one). */
export interface RowWriter {
  readonly rowsPerStatement: number;
  insert(count: number, onConflict: OnConflict): string;
  values(row: Record<string, unknown>): unknown[];
}

export interface RowSqlOptions<Row> {
  /** Columns left out (a surrogate key the database assigns itself). */
  omit?: readonly string[];
  /** Columns an upsert sets on an existing row (default: every column but the key and `fixed`). */
  update?: readonly (keyof Row & string)[];
  /**
   * Columns a row keeps from its insert (what it belongs to, when it was made): an upsert
   * leaves them, and so the indexes on them alone, untouched. D1 counts a written row for
   * every index on a column an UPDATE sets, whether or not its value changes.
   */
  fixed?: readonly (keyof Row & string)[];
  /** SQL condition on `excluded` under which an upsert changes an existing row. */
  updateWhere?: string;
}

/**
 * A table's rows as prepared SQL, derived from its drizzle definition: the column list, the
 * driver values of a row in column order (drizzle's own JSON and boolean encodings), a raw
 * row back as the table's row type, and multi-row INSERT texts, cached by row count. Writing a
 * row costs one `exec` or `bind` with no query building, which matters on the coordinator's
 * hot path. The row type is the table's `$inferSelect`, which the row-type test keeps equal to
 * the core type, so core values are written as they are.
 */
export class RowSql<Row extends Record<string, unknown>> {
  readonly name: string;
  /** Rows one statement may carry within D1's bound-parameter limit. */
  readonly rowsPerStatement: number;
  private readonly columns: { key: string; column: Column }[];
  private readonly keyColumns: string[];
  private readonly texts = new Map<string, string>();

  constructor(
    table: SQLiteTable,
    private readonly options: RowSqlOptions<Row> = {},
  ) {
    this.name = getTableName(table);
    const omit = new Set<string>(options.omit ?? []);
    this.columns = Object.entries(getTableColumns(table))
      .filter(([key]) => !omit.has(key))
      .map(([key, column]) => ({ key, column }));
    const config = getTableConfig(table);
    const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
    this.keyColumns = composite ?? this.columns.filter((c) => c.column.primary).map((c) => c.column.name);
    this.rowsPerStatement = Math.max(1, Math.floor(LIMITS.d1MaxBoundParameters / this.columns.length));
  }

  /** The row's values in column order, as the driver stores them. */
  values(row: Row): unknown[] {
    return this.columns.map(({ key, column }) => {
      const value = row[key];
      return value === null || value === undefined ? null : column.mapToDriverValue(value);
    });
  }

  /** A row as the driver returned it (keyed by column name) as the table's row type. */
  fromDriver(raw: Record<string, unknown>): Row {
    const row: Record<string, unknown> = {};
    for (const { key, column } of this.columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as Row;
  }

  /** `INSERT INTO t (...) VALUES (...), ...` for `count` rows, with the conflict handling asked for. */
  insert(count: number, onConflict: OnConflict): string {
    const id = `${count}:${onConflict}`;
    const cached = this.texts.get(id);
    if (cached) return cached;
    const names = this.columns.map((c) => quote(c.column.name));
    const row = `(${names.map(() => "?").join(", ")})`;
    let text = `INSERT INTO ${quote(this.name)} (${names.join(", ")}) VALUES ${Array(count).fill(row).join(", ")}`;
    if (onConflict === "ignore") text += " ON CONFLICT DO NOTHING";
    if (onConflict === "upsert") {
      const keys = new Set(this.keyColumns);
      const fixed = new Set<string>(this.options.fixed ?? []);
      const update = this.options.update
        ? this.columns.filter((c) => this.options.update?.includes(c.key as keyof Row & string))
        : this.columns.filter((c) => !keys.has(c.column.name) && !fixed.has(c.key));
      const set = update.map((c) => `${quote(c.column.name)} = excluded.${quote(c.column.name)}`).join(", ");
      text += ` ON CONFLICT (${this.keyColumns.map(quote).join(", ")}) DO UPDATE SET ${set}`;
      if (this.options.updateWhere) text += ` WHERE ${this.options.updateWhere}`;
    }
    this.texts.set(id, text);
    return text;
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
