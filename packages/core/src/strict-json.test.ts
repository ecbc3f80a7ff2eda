import { describe, expect, it } from "vitest";
import { runToEnd } from "./sliced.js";
import { parseStrictJson, parseStrictJsonInSlices } from "./strict-json.js";

describe("parseStrictJson", () => {
  it("parses ordinary JSON", () => {
    expect(parseStrictJson('{"a":[1,{"b":"x\\"y"}],"c":null}')).toEqual({ a: [1, { b: 'x"y' }], c: null });
    expect(parseStrictJson('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseStrictJson('{"a":{"a":{"a":1}}}')).toEqual({ a: { a: { a: 1 } } });
  });

  it.each([
    ['{"a":1,"a":2}', /duplicate key "a"/],
    ['{"a":1,"\\u0061":2}', /duplicate key "a"/],
    ['{"x":{"b":1,"b":2}}', /x: duplicate key "b"/],
    ['{"__proto__":{"admin":true}}', /__proto__/],
    [`${"[".repeat(40)}${"]".repeat(40)}`, /nesting deeper than 32/],
    ['{"a":', /not valid JSON/],
    ["", /not valid JSON/],
    ['{"a":"\\ud800"}garbage', /not valid JSON/],
  ])("refuses %s", (text, message) => {
    expect(() => parseStrictJson(text)).toThrow(message);
  });

  it("refuses 10,000-deep nesting at once", () => {
    expect(() => parseStrictJson(`{"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`)).toThrow(
      /^request body is invalid: x\[\]\[\].*: nesting deeper than 32 levels$/,
    );
  });
});

describe("parseStrictJsonInSlices", () => {
  const texts = [
    '{"a":[1,{"b":"x\\"y"}],"c":null}',
    '{"tasks":[{"id":"a","t":"{,}"},{"id":"b","t":"[\\"]"}]}',
    '{"a":1,"a":2}',
    '{"x":{"b":1,"y":[{"b":1,"b":2}]}}',
    '{"__proto__":{"admin":true}}',
    `{"x":${"[".repeat(40)}${"]".repeat(40)}}`,
    '{"a":',
  ];
  const outcome = (act: () => unknown) => {
    try {
      return { value: act() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it("gives parseStrictJson's value or refusal, whatever the slice", () => {
    for (const text of texts) {
      const once = outcome(() => parseStrictJson(text, { maxDepth: 16 }));
      for (const slice of [1, 2, 3, 7]) {
        expect(outcome(() => runToEnd(parseStrictJsonInSlices(text, { maxDepth: 16 }, slice)))).toEqual(once);
      }
    }
  });

  it("pauses every slice of characters", () => {
    const text = JSON.stringify({ items: Array.from({ length: 1_000 }, (_, i) => ({ i })) });
    const work = parseStrictJsonInSlices(text, {}, 1_000);
    let pauses = 0;
    for (let step = work.next(); !step.done; step = work.next()) pauses++;
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(text.length / 1_000) - 1);
  });
});
