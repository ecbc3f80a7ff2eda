import { z } from "zod";

/** Signals a Worker evaluates on an attempt's tree (no process needed). */
const TREE_SIGNAL_TYPES = ["path_exists", "glob_exists", "file_contains"] as const;

/**
 * A check of a task's result, written as in upstream Bernstein:
 * `{type: "path_exists", value: "src/x.ts"}`, `{type: "glob_exists", value: "test/*.test.ts"}`,
 * `{type: "file_contains", value: "src/x.ts :: export function x"}`, and
 * `{type: "test_passes", value: "node --test test/x.test.js"}`: a shell command that a runner
 * runs on the candidate tree (exit 0 passes), never a Worker.
 */
export const CompletionSignal = z.object({
  type: z.enum([...TREE_SIGNAL_TYPES, "test_passes"]),
  value: z.string().min(1).max(2_000),
});
export type CompletionSignal = z.infer<typeof CompletionSignal>;

/** Splits a `file_contains` value into its path and needle. */
export function parseFileContains(value: string): { path: string; needle: string } | undefined {
  const at = value.indexOf(" :: ");
  if (at <= 0) return undefined;
  const needle = value.slice(at + 4);
  return needle === "" ? undefined : { path: value.slice(0, at).trim(), needle };
}

/** The commands of a task's `test_passes` signals, in order. */
export function testCommandsOf(signals: readonly CompletionSignal[]): string[] {
  return signals.filter((s) => s.type === "test_passes").map((s) => s.value.trim());
}

/** Signals in one line: `test: node --test test/x.test.js; file: src/x.js :: export`. */
export function describeSignals(signals: readonly CompletionSignal[]): string {
  const label = { test_passes: "test", path_exists: "path", glob_exists: "glob", file_contains: "file" } as const;
  return signals.map((s) => `${label[s.type]}: ${s.value}`).join("; ");
}
