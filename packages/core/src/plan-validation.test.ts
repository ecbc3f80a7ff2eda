import { describe, expect, it } from "vitest";
import { BernsteinError } from "./errors.js";
import { findCycle, validatePlan } from "./plan-validation.js";

function codeOf(fn: () => unknown): { code: string; details: Record<string, unknown> | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof BernsteinError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error("expected an error");
}

const task = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Task ${id}`, ...extra });

describe("validatePlan", () => {
  it("accepts a valid plan and fills defaults", () => {
    const plan = validatePlan({
      tasks: [task("t1"), task("t2", { depends_on: ["t1"], owned_files: ["./src//a.ts"] })],
    });
    expect(plan.tasks[1]?.owned_files).toEqual(["src/a.ts"]);
    expect(plan.tasks[0]).toMatchObject({ role: "backend", priority: 2, depends_on: [], approval_required: false });
  });

  it("refuses an empty plan", () => {
    expect(codeOf(() => validatePlan({ tasks: [] })).code).toBe("plan_empty");
  });

  it("refuses a malformed plan with the field named", () => {
    const err = codeOf(() => validatePlan({ tasks: [{ id: "t1" }] }));
    expect(err.code).toBe("plan_invalid");
  });

  it("names duplicate ids", () => {
    const err = codeOf(() => validatePlan({ tasks: [task("t1"), task("t1"), task("t2")] }));
    expect(err).toEqual({ code: "plan_duplicate_id", details: { ids: ["t1"] } });
  });

  it("names unknown dependencies", () => {
    const err = codeOf(() => validatePlan({ tasks: [task("t1", { depends_on: ["t9"] })] }));
    expect(err).toEqual({ code: "plan_unknown_dependency", details: { ids: ["t1->t9"] } });
  });

  it("names the tasks of a cycle", () => {
    const err = codeOf(() =>
      validatePlan({
        tasks: [task("a", { depends_on: ["c"] }), task("b", { depends_on: ["a"] }), task("c", { depends_on: ["b"] })],
      }),
    );
    expect(err.code).toBe("plan_cycle");
    expect(new Set(err.details?.ids as string[])).toEqual(new Set(["a", "b", "c"]));
  });

  it("treats a self-dependency as a cycle", () => {
    expect(codeOf(() => validatePlan({ tasks: [task("a", { depends_on: ["a"] })] })).code).toBe("plan_cycle");
  });

  it("refuses owned files that escape the repository", () => {
    const err = codeOf(() =>
      validatePlan({ tasks: [task("t1", { owned_files: ["src/ok.ts"] }), task("t2", { owned_files: ["../x"] })] }),
    );
    expect(err.code).toBe("plan_path_escape");
    expect(err.details?.ids).toEqual(["t2"]);
  });

  it("finds no cycle in a long chain without overflowing the stack", () => {
    const tasks = Array.from({ length: 5_000 }, (_, i) => ({ id: `t${i}`, depends_on: i === 0 ? [] : [`t${i - 1}`] }));
    expect(findCycle(tasks)).toBeUndefined();
  });
});
