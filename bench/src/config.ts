import { fileURLToPath } from "node:url";

/** The benchmark's fixed shape (the contract): 200 independent tasks, 20 agents. */
export const BENCH = {
  tasks: 200,
  maxAgents: 20,
} as const;

/** The realistic run: a model that answers each turn after a second, so the thread is mostly idle. */
export const REALISTIC = {
  tasks: 60,
  maxAgents: 20,
  modelLatencyMs: 1_000,
} as const;

/** The scale run: many tasks and agents, against the same at a tenth of the tasks (a quadratic step shows). */
export const SCALE = {
  tasks: 1_000,
  baselineTasks: 100,
  maxAgents: 50,
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
