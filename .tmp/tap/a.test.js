import assert from "node:assert/strict";
import { test, describe, it } from "node:test";
test("top passes", () => {});
test("top fails", () => { assert.equal(1, 2); });
describe("suite", () => {
  it("inner ok", () => {});
  it("inner bad", () => { throw new Error("boom\nsecond line"); });
  it.skip("skipped one", () => {});
});
