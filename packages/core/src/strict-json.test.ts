import { describe, expect, it } from "vitest";
import { parseStrictJson } from "./strict-json.js";

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
