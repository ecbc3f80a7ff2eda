import { describe, expect, it } from "vitest";
import { assertKey, keys } from "./keys.js";

const SHA = "a".repeat(64);
const RUN = "r_0123456789ab";
const TASK = "t_0123456789ab";

describe("keys", () => {
  it("builds the documented layout", () => {
    expect(keys.blob(SHA)).toBe(`blobs/${SHA}`);
    expect(keys.snapshot(SHA)).toBe(`snapshots/${SHA}.json`);
    expect(keys.plan(RUN)).toBe(`runs/${RUN}/plan.json`);
    expect(keys.attempt(RUN, TASK, 2, "patch.diff")).toBe(`runs/${RUN}/tasks/${TASK}/a2/patch.diff`);
    expect(keys.attempt(RUN, TASK, 1, "transcript.jsonl")).toBe(`runs/${RUN}/tasks/${TASK}/a1/transcript.jsonl`);
    expect(keys.integration(RUN, 0)).toBe(`runs/${RUN}/integration/0.json`);
    expect(keys.spill(RUN, SHA)).toBe(`runs/${RUN}/spill/${SHA}`);
    expect(keys.audit(RUN)).toBe(`runs/${RUN}/audit.jsonl`);
  });

  it.each([
    ["a slash in a run id", () => keys.plan("r_1/../x")],
    ["a dot-dot run id", () => keys.plan("..")],
    ["an empty run id", () => keys.audit("")],
    ["a slash in a task id", () => keys.attempt(RUN, "t/x", 1, "patch.diff")],
    ["an unknown attempt file", () => keys.attempt(RUN, TASK, 1, "../../x" as "patch.diff")],
    ["a negative attempt", () => keys.attempt(RUN, TASK, -1, "patch.diff")],
    ["a fractional seq", () => keys.integration(RUN, 1.5)],
    ["an uppercase sha", () => keys.blob("A".repeat(64))],
    ["a short sha", () => keys.snapshot("abc")],
    ["a sha with a path", () => keys.spill(RUN, `${"a".repeat(63)}/`)],
  ])("refuses %s with bad_request", (_, build) => {
    expect(build).toThrowError(expect.objectContaining({ code: "bad_request" }));
  });

  it("accepts generated keys and refuses escaping ones in assertKey", () => {
    expect(() => assertKey(keys.plan(RUN))).not.toThrow();
    expect(() => assertKey("runs/", { prefix: true })).not.toThrow();
    for (const bad of ["", "/abs", "a//b", "a/../b", "a/./b", "a\\b", "a\u0000b", "runs/"]) {
      expect(() => assertKey(bad), bad).toThrowError(expect.objectContaining({ code: "bad_request" }));
    }
  });
});
