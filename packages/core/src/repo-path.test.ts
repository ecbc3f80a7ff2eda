import { describe, expect, it } from "vitest";
import { normalizeRepoPath } from "./repo-path.js";

describe("normalizeRepoPath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    ["src/x/../a.ts", "src/a.ts"],
    ["src/", "src"],
    [".", ""],
  ])("%s -> %s", (input, output) => {
    expect(normalizeRepoPath(input)).toBe(output);
  });

  it.each(["../a", "/etc/passwd", "C:/x", "a\\b", "src/../../a", ".git/config", "a\0b"])("refuses %s", (input) => {
    expect(() => normalizeRepoPath(input)).toThrow(/path/);
  });
});
