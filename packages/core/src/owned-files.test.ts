import { describe, expect, it } from "vitest";
import { isOwnedBy, patternsOverlap } from "./owned-files.js";

describe("patternsOverlap", () => {
  it.each([
    ["src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/b.ts", false],
    ["src", "src/a.ts", true],
    ["src/", "src/a.ts", true],
    ["src/**/*.ts", "src/x/a.ts", true],
    ["src/**/*.ts", "lib/a.ts", false],
    ["src/*.ts", "src/a.md", false],
    ["src/auth/**", "src/auth/login.ts", true],
    ["src/auth/**", "src/billing/**", false],
    ["src/**", "src/auth/*.ts", true],
    ["docs", "src/**", false],
    ["*.md", "README.md", true],
  ])("%s vs %s -> %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe("isOwnedBy", () => {
  it("matches literals, directories and globs", () => {
    expect(isOwnedBy("src/a.ts", ["src"])).toBe(true);
    expect(isOwnedBy("src/a.ts", ["src/*.ts"])).toBe(true);
    expect(isOwnedBy("srcx/a.ts", ["src"])).toBe(false);
    expect(isOwnedBy("lib/a.ts", ["src/**"])).toBe(false);
  });
});
