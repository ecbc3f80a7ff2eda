import { describe, expect, it } from "vitest";
import { mean, median, percentile } from "./percentile.js";

describe("percentile", () => {
  it("is the nearest rank, whatever the input order", () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 99)).toBe(5);
    expect(percentile(values, 1)).toBe(1);
    expect(
      percentile(
        Array.from({ length: 200 }, (_, i) => 200 - i),
        99,
      ),
    ).toBe(198);
  });

  it("is NaN for no values", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("median and mean", () => {
  it("averages the middle two of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(mean([1, 2, 6])).toBe(3);
  });
});
