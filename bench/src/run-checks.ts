import { BernsteinError, type RunView } from "@bernstein/core";
import type { RecordedRequest } from "@bernstein/testing";

// Checks that a run did the bench's work: figures of a run that did other work mean nothing.

/**
 * Checks the scripted model answered exactly `expected` calls, each from the script: a request
 * it could not match, or a failed one, would make the run do other work than the benchmark's.
 */
export function assertModelAnswered(requests: readonly RecordedRequest[], expected: number): void {
  const bad = requests.filter((r) => r.status !== 200 || r.exhausted || r.key === "?");
  if (bad.length > 0 || requests.length !== expected) {
    throw new BernsteinError(
      "internal",
      `the scripted model got ${requests.length} requests, not ${expected}; ${bad.length} were not answered from the script`,
      { details: { first: bad.slice(0, 3).map((r) => ({ key: r.key, turn: r.turn, status: r.status })) } },
    );
  }
}

/** Checks the run completed with every task merged; `what` names the run in the error. */
export function assertAllMerged(run: Pick<RunView, "status" | "tasks">, what: string): void {
  const unmerged = run.tasks.filter((t) => t.status !== "merged");
  if (run.status !== "completed" || unmerged.length > 0) {
    throw new BernsteinError("internal", `the ${what} run ended ${run.status} with ${unmerged.length} unmerged tasks`, {
      details: { unmerged: unmerged.slice(0, 5).map((t) => ({ title: t.title, status: t.status })) },
    });
  }
}
