import { describe, expect, it } from "vitest";
import { chunk, chunkRows, costEvents, rowsPerStatement, runners, tasks } from "../src/index.js";

describe("param budget", () => {
  it("fits floor(100 / columns) rows in a statement", () => {
    expect(rowsPerStatement(21)).toBe(4);
    expect(rowsPerStatement(2)).toBe(50);
    expect(rowsPerStatement(100)).toBe(1);
    expect(rowsPerStatement(3, 10)).toBe(3);
  });

  it("refuses rows that cannot fit at all", () => {
    expect(() => rowsPerStatement(101)).toThrow(RangeError);
    expect(() => rowsPerStatement(0)).toThrow(RangeError);
  });

  it("chunks in order with a short tail", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });

  it("sizes chunks by the table's column count", () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    expect(chunkRows(tasks, rows).map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunkRows(runners, rows)).toHaveLength(1);
    expect(
      chunkRows(
        costEvents,
        Array.from({ length: 9 }, (_, i) => i),
      ).map((c) => c.length),
    ).toEqual([8, 1]);
  });
});
