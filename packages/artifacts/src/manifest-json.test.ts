import { canonicalJson, type Manifest } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { manifestJson } from "./manifest-json.js";
import { applyOverlay } from "./overlay.js";

const e = (c: string, size = 1) => ({ sha256: c.repeat(64), mode: "100644" as const, size });

describe("manifestJson", () => {
  it("is canonicalJson for a sorted tree, an unsorted one and an empty one", () => {
    const sorted: Manifest = { "README.md": e("a"), "src/a.ts": e("b", 0), "src/b.ts": e("c", 123_456) };
    const unsorted: Manifest = { "src/b.ts": e("c"), "README.md": e("a"), "a/z": e("d"), "a/b": e("e") };
    for (const tree of [sorted, unsorted, {}]) expect(manifestJson(tree)).toBe(canonicalJson(tree));
    expect(manifestJson(unsorted).indexOf('"README.md"')).toBeLessThan(manifestJson(unsorted).indexOf('"a/b"'));
  });

  it("sorts integer-like paths, which objects iterate before the others, in code-unit order", () => {
    const tree: Manifest = applyOverlay({}, { "9": e("a"), "10": e("b"), a: e("c"), "1/x": e("d") });
    expect(Object.keys(tree)).toEqual(["9", "10", "1/x", "a"]);
    expect(manifestJson(tree)).toBe(canonicalJson(tree));
    expect(manifestJson(tree)).toMatch(/^\{"1\/x":.*,"10":.*,"9":.*,"a":/);
  });

  it("escapes paths as JSON does and keeps __proto__ as a path", () => {
    const tree: Manifest = applyOverlay(
      {},
      JSON.parse(
        JSON.stringify({
          'q"uote': e("a"),
          "back\\slash": e("b"),
          "tab\there": e("c"),
          "ü/é": e("d"),
          "\u2028": e("f"),
        }),
      ),
    );
    const proto: Manifest = JSON.parse(`{"__proto__": ${JSON.stringify(e("g"))}, "a": ${JSON.stringify(e("h"))}}`);
    for (const t of [tree, proto]) {
      expect(manifestJson(t)).toBe(canonicalJson(t));
      expect(JSON.parse(manifestJson(t))).toEqual(JSON.parse(canonicalJson(t)));
    }
  });

  it("writes an entry's members in code-unit order whatever their order, and drops undefined ones", () => {
    const reordered = { "a.ts": { size: 3, sha256: "b".repeat(64), mode: "100755" as const } };
    const extra = { "b.ts": { ...e("c"), note: undefined } } as unknown as Manifest;
    // Not valid entries, but named as canonicalJson names them all the same.
    const odd = {
      a: { mode: "040000", sha256: 'q"uote', size: 1.5 },
      b: { mode: "100644", sha256: "\\", size: 2 ** 60 },
      c: { mode: "100644", size: 1 },
    } as unknown as Manifest;
    for (const tree of [reordered, extra, odd]) expect(manifestJson(tree)).toBe(canonicalJson(tree));
    expect(manifestJson(reordered)).toBe(`{"a.ts":{"mode":"100755","sha256":"${"b".repeat(64)}","size":3}}`);
  });
});
