import { describe, expect, it } from "vitest";
import { checkManifestTree, symlinkEscape } from "./manifest-tree.js";
import type { Manifest } from "./schemas/manifest.js";

const entry = { sha256: "0".repeat(64), mode: "100644" as const, size: 0 };
const tree = (...paths: string[]): Manifest => Object.fromEntries(paths.map((p) => [p, entry]));

describe("checkManifestTree", () => {
  it("returns the sorted paths of a writable tree", () => {
    expect(checkManifestTree(tree("b/c.ts", "a.ts", ".github/ci.yml"))).toEqual([".github/ci.yml", "a.ts", "b/c.ts"]);
  });

  it.each([
    [["d", "d/x"], /file under a file: "d\/x" below "d"/],
    [["a/b", "a/b/c/d"], /below "a\/b"/],
    [["sub/.git/config"], /\.git/],
    [[".GIT/config"], /\.git/],
    [["../x"], /escapes/],
    [["/etc/passwd"], /absolute/],
    [["a//b"], /not a normalised/],
    [["./a"], /not a normalised/],
  ])("refuses %j", (paths, message) => {
    expect(() => checkManifestTree(tree(...paths))).toThrow(message);
  });
});

describe("symlinkEscape", () => {
  it.each([
    ["link", "src/a.ts"],
    ["a/b/link", "../c"],
    ["a/link", "."],
  ])("%s -> %s stays inside", (link, target) => {
    expect(symlinkEscape(link, target)).toBeUndefined();
  });

  it.each([
    ["link", "/etc/passwd"],
    ["link", "../outside"],
    ["a/link", "../../x"],
    ["link", ".git/config"],
    ["a/link", "../.git/hooks"],
    ["link", ""],
  ])("%s -> %s escapes", (link, target) => {
    expect(symlinkEscape(link, target)).toBeTypeOf("string");
  });
});
