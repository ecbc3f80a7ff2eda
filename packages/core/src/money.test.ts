import { describe, expect, it } from "vitest";
import { formatUsd } from "./money.js";

describe("formatUsd", () => {
  it("keeps every digit of an amount under $1", () => {
    expect(formatUsd(0.015)).toBe("$0.015");
    expect(formatUsd(0.012861)).toBe("$0.012861");
    expect(formatUsd(0.0123)).toBe("$0.0123");
  });

  it("prints at least cents", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.5)).toBe("$0.50");
    expect(formatUsd(5)).toBe("$5.00");
    expect(formatUsd(12.3456)).toBe("$12.3456");
  });

  it("rounds below a millionth and keeps the sign", () => {
    expect(formatUsd(0.0000004)).toBe("$0.00");
    expect(formatUsd(-0.25)).toBe("-$0.25");
  });
});
