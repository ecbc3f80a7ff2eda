import { BernsteinError } from "./errors.js";
import { Plan, type PlanTask } from "./plan.js";
import { normalizeRepoPath } from "./repo-path.js";
import { formatZodError } from "./zod-error.js";

/**
 * Parses and checks a plan before anything is stored. Each problem has its own code and names
 * the offending ids in `details.ids`: `plan_invalid` (shape), `plan_empty`, `plan_duplicate_id`,
 * `plan_unknown_dependency`, `plan_cycle`, `plan_path_escape`. Owned-file paths come back
 * normalised.
 */
export function validatePlan(input: unknown): Plan {
  const parsed = Plan.safeParse(input);
  if (!parsed.success) {
    throw new BernsteinError("plan_invalid", `plan is malformed: ${formatZodError(parsed.error)}`);
  }
  const { tasks } = parsed.data;
  if (tasks.length === 0) throw new BernsteinError("plan_empty", "plan has no tasks");

  const duplicates = findDuplicates(tasks.map((t) => t.id));
  if (duplicates.length > 0) {
    throw new BernsteinError("plan_duplicate_id", `plan repeats task ids: ${duplicates.join(", ")}`, {
      details: { ids: duplicates },
    });
  }

  const ids = new Set(tasks.map((t) => t.id));
  const unknown = tasks.flatMap((t) => t.depends_on.filter((d) => !ids.has(d)).map((d) => `${t.id}->${d}`));
  if (unknown.length > 0) {
    throw new BernsteinError("plan_unknown_dependency", `plan depends on unknown tasks: ${unknown.join(", ")}`, {
      details: { ids: unknown },
    });
  }

  const cycle = findCycle(tasks);
  if (cycle) {
    throw new BernsteinError("plan_cycle", `plan has a dependency cycle: ${cycle.join(" -> ")}`, {
      details: { ids: cycle },
    });
  }

  const escaping: string[] = [];
  const normalised = tasks.map((t) => {
    const owned = t.owned_files.flatMap((p) => {
      try {
        return [normalizeRepoPath(p, "plan_path_escape")];
      } catch (error) {
        if (!(error instanceof BernsteinError)) throw error;
        escaping.push(`${t.id}:${p}`);
        return [];
      }
    });
    return { ...t, depends_on: [...new Set(t.depends_on)], owned_files: owned };
  });
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
