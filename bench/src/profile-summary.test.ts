import { describe, expect, it } from "vitest";
import type { CpuProfile } from "./profile-inspector.js";
import { bundleMap, sourceFile, summarize } from "./profile-summary.js";

const BUNDLE = [
  "var x = 1;", // 0: before any module
  "// ../../node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/core/parse.js", // 1
  "function parse() {}", // 2
  "// @__NO_SIDE_EFFECTS__", // 3: not a module
  "// src/coordinator/context.ts", // 4
  "function commit() {}", // 5
].join("\n");

function frame(functionName: string, url: string, lineNumber: number) {
  return { functionName, url, lineNumber, columnNumber: 0, scriptId: "1" };
}

describe("bundleMap and sourceFile", () => {
  it("maps a bundle line to the module whose comment comes last before it", () => {
    const map = bundleMap(BUNDLE);
    expect(map.starts.map((s) => s.file)).toEqual(["zod/v4/core/parse.js", "src/coordinator/context.ts"]);
    expect(sourceFile(map, 0)).toBeUndefined();
    expect(sourceFile(map, 2)).toBe("zod/v4/core/parse.js");
    expect(sourceFile(map, 3)).toBe("zod/v4/core/parse.js");
    expect(sourceFile(map, 5)).toBe("src/coordinator/context.ts");
  });
});

describe("summarize", () => {
  // root -> commit -> parse; root -> (idle)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1), children: [2, 4] },
      { id: 2, callFrame: frame("commit", "index.js", 5), children: [3] },
      { id: 3, callFrame: frame("parse", "index.js", 2) },
      { id: 4, callFrame: frame("(idle)", "", -1) },
    ],
    startTime: 0,
    endTime: 10,
    samples: [3, 3, 2, 4, 4, 3],
    timeDeltas: [1, 1, 1, 1, 1, 1],
  };

  it("counts self and total samples by function and by file, leaving idle out of the shares", () => {
    const summary = summarize([{ target: "core:user:orchestrator", profile, map: bundleMap(BUNDLE) }]);
    expect(summary.busy).toBe(4);
    expect(summary.idle).toBe(2);
    expect(summary.byTarget).toEqual([{ name: "core:user:orchestrator", busy: 4 }]);
    const fn = Object.fromEntries(summary.functions.map((r) => [r.name, [r.self, r.total]]));
    expect(fn["parse zod/v4/core/parse.js:3"]).toEqual([3, 3]);
    expect(fn["commit src/coordinator/context.ts:6"]).toEqual([1, 4]);
    expect(summary.functions[0]?.name).toBe("parse zod/v4/core/parse.js:3");
    const file = Object.fromEntries(summary.files.map((r) => [r.name, [r.self, r.total]]));
    expect(file["src/coordinator/context.ts"]).toEqual([1, 4]);
  });

  it("keeps the names of workerd's own scripts, whose lines are not the bundle's", () => {
    const internal: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)", "", -1), children: [2] },
        { id: 2, callFrame: frame("_send", "cloudflare-internal:d1-api", 5) },
      ],
      startTime: 0,
      endTime: 2,
      samples: [2, 2],
      timeDeltas: [1, 1],
    };
    const summary = summarize([{ target: "core:user:orchestrator", profile: internal, map: bundleMap(BUNDLE) }]);
    expect(summary.functions.map((r) => r.name)).toEqual(["_send cloudflare-internal:d1-api:6"]);
    expect(summary.files.map((r) => r.name)).toEqual(["cloudflare-internal:d1-api"]);
  });
});
