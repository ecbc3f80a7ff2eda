import { parseArgs } from "node:util";
import { BernsteinError } from "@bernstein/core";
import { RESULTS_FILE } from "./config.js";

/** The bench's three parts (bench/README.md): each can be run alone with `--only`. */
export const BENCH_PARTS = ["saturated", "realistic", "scale"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchArgs {
  rounds: number;
  /** Where the results go; null: nowhere (a part run alone without `--output`). */
  output: string | null;
  /** The parts to run, in the bench's order. */
  parts: BenchPart[];
}

function isPart(value: string): value is BenchPart {
  return (BENCH_PARTS as readonly string[]).includes(value);
}

/**
 * The bench's options: `--rounds N` (default 3; the saturated part's), `--output FILE`,
 * `--only saturated|realistic|scale` (one part alone). A part run alone writes its results only
 * to an `--output` given, never to `results/latest.json`, which holds a whole run. A leading
 * `--` is skipped: pnpm 12 passes it through (`pnpm --filter @bernstein/bench bench -- --rounds
 * 5`), and parseArgs would read everything after it as positionals.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string", default: "3" },
      output: { type: "string" },
      only: { type: "string" },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new BernsteinError("bad_request", `--rounds must be a positive integer, got ${values.rounds}`);
  }
  const only = values.only;
  if (only !== undefined && !isPart(only)) {
    throw new BernsteinError("bad_request", `--only must be one of ${BENCH_PARTS.join(", ")}, got ${only}`);
  }
  return {
    rounds,
    output: values.output ?? (only === undefined ? RESULTS_FILE : null),
    parts: only === undefined ? [...BENCH_PARTS] : [only],
  };
}
