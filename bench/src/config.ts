import { fileURLToPath } from "node:url";

/** The benchmark's fixed shape (the contract): 200 independent tasks, 20 agents. */
export const BENCH = {
  tasks: 200,
  maxAgents: 20,
} as const;

/** Where the figures are written, relative to this package. */
export const RESULTS_FILE = fileURLToPath(new URL("../results/latest.json", import.meta.url));

/** The two Worker bundles `pnpm turbo run build` writes (what `@bernstein/local-stack` runs). */
export function workerBundles(): { orchestrator: string; agent: string } {
  return {
    orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
    agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
  };
}

/** The bare Worker of the floor (plain JS, no build step). */
export const FLOOR_WORKER = fileURLToPath(new URL("../floor/worker.js", import.meta.url));
