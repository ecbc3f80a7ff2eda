import { z } from "zod";

/**
 * A check a Worker can evaluate on an attempt's tree, written as in upstream Bernstein:
 * `{type: "path_exists", value: "src/x.ts"}`, `{type: "glob_exists", value: "test/*.test.ts"}`,
 * `{type: "file_contains", value: "src/x.ts :: export function x"}`.
 */
export const CompletionSignal = z.object({
  type: z.enum(["path_exists", "glob_exists", "file_contains"]),
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
