import type { Manifest } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { diffManifests } from "./diff-manifests.js";
import { applyOverlay } from "./overlay.js";

const e = (c: string, mode: "100644" | "100755" = "100644") => ({ sha256: c.repeat(64), mode, size: 1 });

describe("applyOverlay", () => {
  it("adds, replaces and deletes, leaving the base untouched", () => {
    const base: Manifest = { "a.txt": e("a"), "b.txt": e("b"), "c.txt": e("c") };
    const next = applyOverlay(base, { "b.txt": e("d"), "c.txt": null, "new/x.ts": e("e") });
    expect(next).toEqual({ "a.txt": e("a"), "b.txt": e("d"), "new/x.ts": e("e") });
    expect(Object.keys(next)).toEqual(["a.txt", "b.txt", "new/x.ts"]);
    expect(base["c.txt"]).toEqual(e("c"));
  });

  it("treats __proto__ as an ordinary path", () => {
    const next = applyOverlay({}, JSON.parse(`{"__proto__": ${JSON.stringify(e("f"))}}`));
    expect(Object.keys(next)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(diffManifests({}, next).added).toEqual(["__proto__"]);
  });

  it("slots changes in before, between and after the base's paths, in code-unit order", () => {
    const base: Manifest = { b: e("1"), d: e("2"), f: e("3") };
    const next = applyOverlay(base, { g: e("4"), a: e("5"), c: e("6"), d: null, f: e("7"), x: null });
    expect(Object.keys(next)).toEqual(["a", "b", "c", "f", "g"]);
    expect(next).toEqual({ a: e("5"), b: e("1"), c: e("6"), f: e("7"), g: e("4") });
    expect(base).toEqual({ b: e("1"), d: e("2"), f: e("3") });
  });

  it("sorts a base that is out of order first", () => {
    const next = applyOverlay({ z: e("1"), b: e("2") }, { c: e("3") });
    expect(Object.keys(next)).toEqual(["b", "c", "z"]);
  });
});

describe("diffManifests", () => {
  it("lists added, modified (content or mode) and deleted paths, sorted", () => {
    const base: Manifest = { z: e("a"), m: e("b"), gone: e("c"), same: e("d"), exec: e("e") };
    const next: Manifest = { z: e("f"), m: e("b"), same: e("d"), exec: e("e", "100755"), b: e("1"), a: e("2") };
    expect(diffManifests(base, next)).toEqual({ added: ["a", "b"], modified: ["exec", "z"], deleted: ["gone"] });
  });

  it("finds nothing between equal trees", () => {
    const t: Manifest = { a: e("a") };
    expect(diffManifests(t, { ...t })).toEqual({ added: [], modified: [], deleted: [] });
  });
});
