import { BernsteinError } from "@bernstein/core";
import type { RecordedRequest } from "@bernstein/testing";

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
