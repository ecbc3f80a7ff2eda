import { z } from "zod";
import { BernsteinError } from "./errors.js";
import { MAX_PLAN_TASKS, Plan, type PlanTask, StrictPlan } from "./plan.js";
import { normalizeRepoPath } from "./repo-path.js";
import { runToEnd, type Sliced } from "./sliced.js";
import { formatZodError } from "./zod-error.js";

/** Tasks handled between two pauses of sliced plan work (a 5,000-task plan: 25 slices). */
export const PLAN_SLICE_TASKS = 200;

/**
 * Parses and checks a plan before anything is stored. Each problem has its own code and names
 * the offending ids in `details.ids`: `plan_invalid` (shape), `plan_empty`, `plan_duplicate_id`,
 * `plan_unknown_dependency`, `plan_cycle`, `plan_path_escape`. Owned-file paths come back
 * normalised.
 */
export function validatePlan(input: unknown): Plan {
  return runToEnd(validatePlanInSlices(input));
}

/**
 * `validatePlan` with a pause every `sliceTasks` tasks: the schema is applied a task at a time
 * (`parsePlanInSlices`), then the checks (`checkPlanInSlices`). Same result, same errors.
 */
export function* validatePlanInSlices(input: unknown, sliceTasks = PLAN_SLICE_TASKS): Sliced<Plan> {
  const parsed = yield* parsePlanInSlices(input, "lenient", sliceTasks);
  if (!parsed.success) {
    throw new BernsteinError("plan_invalid", `plan is malformed: ${formatZodError(parsed.error)}`);
  }
  return yield* checkPlanInSlices(parsed.data, sliceTasks);
}

export type PlanParse = { success: true; data: Plan } | { success: false; error: z.ZodError };

/**
 * The plan's schema (`Plan`, or `StrictPlan` for the plan of a request) applied a task at a
 * time: the same data, or the same issues in the same order, as `schema.safeParse(input)`.
 * When the plan around the tasks is wrong (not an object, no list of tasks, too many, an
 * unknown field) the whole plan is parsed at once, as the schema would, for the same issues.
 */
export function* parsePlanInSlices(
  input: unknown,
  mode: "lenient" | "strict",
  sliceTasks = PLAN_SLICE_TASKS,
): Sliced<PlanParse> {
  const schema = mode === "strict" ? StrictPlan : Plan;
  const whole = () => schema.safeParse(input) as PlanParse;
  const tasks = typeof input === "object" && input !== null ? (input as { tasks?: unknown }).tasks : undefined;
  if (!Array.isArray(tasks) || tasks.length > MAX_PLAN_TASKS) return whole();
  const around = schema.safeParse({ ...(input as object), tasks: [] });
  if (!around.success) return whole();
  const element: z.ZodType<PlanTask> = schema.shape.tasks.element;
  const parsed: PlanTask[] = [];
  const issues: z.core.$ZodIssue[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (i > 0 && i % sliceTasks === 0) yield;
    const one = element.safeParse(tasks[i]);
    if (one.success) parsed.push(one.data);
    else for (const issue of one.error.issues) issues.push({ ...issue, path: ["tasks", i, ...issue.path] });
  }
  if (issues.length > 0) return { success: false, error: new z.ZodError(issues) };
  return { success: true, data: { ...around.data, tasks: parsed } };
}

/** The checks of `validatePlan` after the schema, on a parsed plan, in slices of `sliceTasks`. */
export function* checkPlanInSlices(plan: Plan, sliceTasks = PLAN_SLICE_TASKS): Sliced<Plan> {
  const { tasks } = plan;
  if (tasks.length === 0) throw new BernsteinError("plan_empty", "plan has no tasks");

  const duplicates = findDuplicates(tasks.map((t) => t.id));
  if (duplicates.length > 0) {
    throw new BernsteinError("plan_duplicate_id", `plan repeats task ids: ${duplicates.join(", ")}`, {
      details: { ids: duplicates },
    });
  }

  const ids = new Set(tasks.map((t) => t.id));
  const unknown: string[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (i > 0 && i % sliceTasks === 0) yield;
    const t = tasks[i] as PlanTask;
    for (const d of t.depends_on) if (!ids.has(d)) unknown.push(`${t.id}->${d}`);
  }
  if (unknown.length > 0) {
    throw new BernsteinError("plan_unknown_dependency", `plan depends on unknown tasks: ${unknown.join(", ")}`, {
      details: { ids: unknown },
    });
  }
  yield;

  const cycle = findCycle(tasks);
  if (cycle) {
    throw new BernsteinError("plan_cycle", `plan has a dependency cycle: ${cycle.join(" -> ")}`, {
      details: { ids: cycle },
    });
  }
  yield;

  const escaping: string[] = [];
  const normalised: PlanTask[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (i > 0 && i % sliceTasks === 0) yield;
    const t = tasks[i] as PlanTask;
    const owned = t.owned_files.flatMap((p) => {
      try {
        return [normalizeRepoPath(p, "plan_path_escape")];
      } catch (error) {
        if (!(error instanceof BernsteinError)) throw error;
        escaping.push(`${t.id}:${p}`);
        return [];
      }
    });
    normalised.push({ ...t, depends_on: [...new Set(t.depends_on)], owned_files: owned });
  }
  if (escaping.length > 0) {
    throw new BernsteinError("plan_path_escape", `owned files escape the repository: ${escaping.join(", ")}`, {
      details: { ids: escaping.map((e) => e.slice(0, e.indexOf(":"))), paths: escaping },
    });
  }
  return { tasks: normalised };
}

function findDuplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** Returns one cycle as a list of ids (first id repeated at the end), or undefined. */
export function findCycle(tasks: readonly Pick<PlanTask, "id" | "depends_on">[]): string[] | undefined {
  const deps = new Map(tasks.map((t) => [t.id, t.depends_on]));
  const state = new Map<string, "visiting" | "done">();
  // Iterative DFS so a 5,000-long chain cannot overflow the stack.
  for (const root of deps.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, "visiting");
    path.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const children = deps.get(frame.id) ?? [];
      if (frame.next >= children.length) {
        state.set(frame.id, "done");
        stack.pop();
        path.pop();
        continue;
      }
      const child = children[frame.next++] as string;
      const seen = state.get(child);
      if (seen === "visiting") return [...path.slice(path.indexOf(child)), child];
      if (seen === "done" || !deps.has(child)) continue;
      state.set(child, "visiting");
      path.push(child);
      stack.push({ id: child, next: 0 });
    }
  }
  return undefined;
}
