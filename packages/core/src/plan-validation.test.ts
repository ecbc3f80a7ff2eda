import { describe, expect, it } from "vitest";
import { BernsteinError } from "./errors.js";
import { Plan, StrictPlan } from "./plan.js";
import { findCycle, parsePlanInSlices, validatePlan, validatePlanInSlices } from "./plan-validation.js";
import { runInSlices, runToEnd } from "./sliced.js";

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

describe("validatePlan in slices", () => {
  const plans: Record<string, unknown> = {
    valid: { tasks: [task("a"), task("b", { depends_on: ["a", "a"], owned_files: ["./x//y.ts"] }), task("c")] },
    "bad fields in several tasks": {
      tasks: [task("a"), { id: "b" }, task("c", { priority: 12 }), task("d", { depends_on: "a" })],
    },
    "unknown field of a task": { tasks: [task("a", { colour: "red" }), task("b")] },
    "unknown field of the plan": { tasks: [task("a"), { id: "b" }], extra: true },
    "tasks not a list": { tasks: "a" },
    "no tasks field": {},
    "not an object": "plan",
    null: null,
    "too many tasks": { tasks: Array.from({ length: 5_001 }, (_, i) => task(`t${i}`)) },
    empty: { tasks: [] },
    duplicate: { tasks: [task("a"), task("a")] },
    "unknown dependency": { tasks: [task("a", { depends_on: ["z"] }), task("b", { depends_on: ["y"] })] },
    cycle: { tasks: [task("a", { depends_on: ["b"] }), task("b", { depends_on: ["a"] })] },
    escape: { tasks: [task("a"), task("b", { owned_files: ["../etc/passwd"] })] },
  };
  const outcome = (act: () => unknown) => {
    try {
      return { value: act() };
    } catch (error) {
      if (!(error instanceof BernsteinError)) throw error;
      return { code: error.code, message: error.message, details: error.details };
    }
  };
  /** The issues as the schema reports them: what an error message is made of. */
  const issuesOf = (error: { issues: { code: string; path: PropertyKey[]; message: string }[] }) =>
    error.issues.map(({ code, path, message }) => ({ code, path, message }));

  for (const [name, input] of Object.entries(plans)) {
    it(`applies the schema a task at a time as the schema does at once: ${name}`, () => {
      for (const [mode, schema] of [
        ["lenient", Plan],
        ["strict", StrictPlan],
      ] as const) {
        const whole = schema.safeParse(input);
        for (const slice of [1, 2, 500]) {
          const sliced = runToEnd(parsePlanInSlices(input, mode, slice));
          expect(sliced.success).toBe(whole.success);
          if (sliced.success && whole.success) expect(sliced.data).toEqual(whole.data);
          if (!sliced.success && !whole.success) expect(issuesOf(sliced.error)).toEqual(issuesOf(whole.error));
        }
      }
    });

    it(`gives the same plan or the same error, whatever the slice: ${name}`, async () => {
      const once = outcome(() => validatePlan(input));
      for (const slice of [1, 2, 3]) {
        let pauses = 0;
        const sliced = await runInSlices(validatePlanInSlices(input, slice), async () => {
          pauses++;
        }).then(
          (value) => ({ value }),
          (error: unknown) => {
            if (!(error instanceof BernsteinError)) throw error;
            return { code: error.code, message: error.message, details: error.details };
          },
        );
        expect(sliced).toEqual(once);
        if ("value" in once) expect(pauses).toBeGreaterThan(0);
      }
    });
  }

  it("keeps the schema's messages for a malformed plan", () => {
    expect(outcome(() => validatePlan(plans["bad fields in several tasks"]))).toMatchObject({
      code: "plan_invalid",
      message: expect.stringMatching(
        /^plan is malformed: tasks\.1\.title: .*; tasks\.2\.priority: .*; tasks\.3\.depends_on: /,
      ),
    });
  });

  it("pauses between slices of a large plan", () => {
    const large = {
      tasks: Array.from({ length: 1_000 }, (_, i) => task(`t${i}`, { depends_on: i ? [`t${i - 1}`] : [] })),
    };
    let pauses = 0;
    const work = validatePlanInSlices(large, 100);
    for (let step = work.next(); !step.done; step = work.next()) pauses++;
    // The schema, the dependencies and the paths each pause 9 times (10 slices), and twice between checks.
    expect(pauses).toBe(29);
  });
});
