import { parseArgs } from "node:util";
import { BernsteinError } from "@bernstein/core";
import { RESULTS_FILE } from "./config.js";

export interface BenchArgs {
  rounds: number;
  output: string;
}

/**
 * The bench's options: `--rounds N` (default 3), `--output FILE`. A leading `--` is skipped:
 * pnpm 12 passes it through (`pnpm --filter @bernstein/bench bench -- --rounds 5`), and
 * parseArgs would read everything after it as positionals.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string", default: "3" },
      output: { type: "string", default: RESULTS_FILE },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new BernsteinError("bad_request", `--rounds must be a positive integer, got ${values.rounds}`);
  }
  return { rounds, output: values.output };
}
