import { z } from "zod";
import type { TreeChecks } from "./checks.js";

/** Most names `fixed` and `still_failing` list (the counts are complete). */
export const MAX_VERDICT_NAMES = 200;

const Counts = z.object({ passed: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });

/**
 * The run's verdict at completion: the result tree's checks against the base snapshot's.
 * `fixed` failed on the base and pass on the result; `still_failing` fail on both.
 */
export const RunVerification = z.object({
  base: Counts,
  result: Counts,
  fixed: z.array(z.string()),
  still_failing: z.array(z.string()),
});
export type RunVerification = z.infer<typeof RunVerification>;

/** Compares the result tree's checks with the base's (see `RunVerification`). */
export function compareTrees(base: TreeChecks, result: TreeChecks): RunVerification {
  const after = new Map(result.checks.map((c) => [c.id, c.status]));
  const fixed: string[] = [];
  const stillFailing: string[] = [];
  for (const check of base.checks) {
    if (check.status !== "failed") continue;
    const now = after.get(check.id);
    if (now === "passed") fixed.push(check.name);
    else if (now === "failed") stillFailing.push(check.name);
  }
  return {
    base: countOf(base),
    result: countOf(result),
    fixed: fixed.slice(0, MAX_VERDICT_NAMES),
    still_failing: stillFailing.slice(0, MAX_VERDICT_NAMES),
  };
}

/** One line for a summary: `checks: base 3 passed, 2 failed -> result 5 passed, 0 failed (2 fixed)`. */
export function describeVerification(v: RunVerification): string {
  const counts = (c: { passed: number; failed: number }) => `${c.passed} passed, ${c.failed} failed`;
  const notes = [`${v.fixed.length} fixed`];
  if (v.still_failing.length > 0) notes.push(`${v.still_failing.length} still failing`);
  return `checks: base ${counts(v.base)} -> result ${counts(v.result)} (${notes.join(", ")})`;
}

function countOf(tree: TreeChecks): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const check of tree.checks) {
    if (check.status === "passed") passed++;
    else if (check.status === "failed") failed++;
  }
  return { passed, failed };
}
