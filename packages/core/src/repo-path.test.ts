import { describe, expect, it } from "vitest";
import { normalizeRepoPath } from "./repo-path.js";

describe("normalizeRepoPath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    ["src/x/../a.ts", "src/a.ts"],
    ["src/", "src"],
    [".github/workflows/ci.yml", ".github/workflows/ci.yml"],
    [".gitignore", ".gitignore"],
    ["a/.gitkeep", "a/.gitkeep"],
    [".", ""],
  ])("%s -> %s", (input, output) => {
    expect(normalizeRepoPath(input)).toBe(output);
  });

  it.each([
    "../a",
    "/etc/passwd",
    "C:/x",
    "a\\b",
    "src/../../a",
    ".git/config",
    "a\0b",
    "sub/.git/config",
    ".GIT/config",
    "a/b/.Git/hooks/pre-commit",
    ".git",
    "x/.git./config",
    "x/.git /config",
    "GIT~1/config",
    "x/.g\u200cit/config",
  ])("refuses %s", (input) => {
    expect(() => normalizeRepoPath(input)).toThrow(/path/);
  });
});
