import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { fit } from "../src/format.js";

describe("fit", () => {
  it("counts terminal columns: wide characters and emoji take two", () => {
    expect(fit("abc", 5)).toBe("abc  ");
    expect(fit("日本語", 8)).toBe("日本語  ");
    expect(fit("日本語のタスク", 8)).toBe("日本語… "); // 6 columns of text, the ellipsis, one column of padding
    for (const text of ["日本語のタスク", "fix 🐛 in the parser", "plain title that is long", "👩‍👩‍👧 family"]) {
      expect(stringWidth(fit(text, 9))).toBe(9);
    }
  });
});
