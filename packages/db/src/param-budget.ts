import { LIMITS } from "@bernstein/core";
import { getTableColumns } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** Rows one multi-row INSERT may carry when each row binds `columns` parameters. */
export function rowsPerStatement(columns: number, budget: number = LIMITS.d1MaxBoundParameters): number {
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`columns must be a positive integer: ${columns}`);
  const rows = Math.floor(budget / columns);
  if (rows < 1) throw new RangeError(`a row of ${columns} parameters does not fit a budget of ${budget}`);
  return rows;
}

/** Splits `items` into consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer: ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits rows for a multi-row INSERT into `table` so no statement binds more than D1's 100
 * parameters. Rows fill every column, so a row binds one parameter per column.
 */
export function chunkRows<T>(table: SQLiteTable, rows: readonly T[]): T[][] {
  return chunk(rows, rowsPerStatement(Object.keys(getTableColumns(table)).length));
}
