import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonInSlices } from "./canonical-json.js";
import { runToEnd } from "./sliced.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("gives equal strings for equal values built in different orders", () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});

describe("canonicalJsonInSlices", () => {
  const values: unknown[] = [
    null,
    "text",
    3.5,
    [],
    {},
    [1, undefined, { b: 2, a: [3, { d: 4, c: undefined }] }],
    { z: [{ y: 1, x: [1, 2, 3] }, "s", null], a: { c: true, b: [[1], [2, { q: 1, p: 2 }]] }, m: undefined },
    { plan: { tasks: Array.from({ length: 1_203 }, (_, i) => ({ title: `t${i}`, id: String(i), deps: [i - 1] })) } },
  ];

  it("gives canonicalJson's string, whatever the slice", () => {
    for (const value of values) {
      for (const slice of [1, 2, 500]) expect(runToEnd(canonicalJsonInSlices(value, slice))).toBe(canonicalJson(value));
    }
  });

  it("pauses every slice of a long array, wherever it is", () => {
    const work = canonicalJsonInSlices(
      { b: 1, plan: { tasks: Array.from({ length: 1_000 }, (_, i) => ({ i })) } },
      100,
    );
    let pauses = 0;
    for (let step = work.next(); !step.done; step = work.next()) pauses++;
    expect(pauses).toBe(9);
  });

  it("refuses what canonicalJson refuses", () => {
    expect(() => runToEnd(canonicalJsonInSlices({ a: [Number.NaN] }))).toThrow(TypeError);
    expect(() => runToEnd(canonicalJsonInSlices({ f: () => 1 }))).toThrow(TypeError);
  });
});
