import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BernsteinError } from "@bernstein/core";
import type { WorkerBundles } from "@bernstein/local-stack";

export type { WorkerBundles } from "@bernstein/local-stack";

/**
 * Finds `workers/orchestrator.js`, `workers/agent.js` and `workers/dashboard/` next to the running CLI bundle
 * (`dist/main.js`), or in `BERNSTEIN_WORKERS_DIR`, or in `apps/cli/dist/workers` when the CLI
 * runs from source (tests).
 */
export function resolveWorkerBundles(
  env: Readonly<Record<string, string | undefined>>,
  explicitDir?: string,
): WorkerBundles {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    explicitDir,
    env.BERNSTEIN_WORKERS_DIR,
    join(here, "workers"),
    join(here, "..", "..", "dist", "workers"),
  ].filter((dir): dir is string => typeof dir === "string" && dir !== "");
  for (const dir of candidates) {
    const bundles = { orchestrator: join(dir, "orchestrator.js"), agent: join(dir, "agent.js") };
    // The dashboard's files sit beside the Workers (the orchestrator serves them as assets).
    const assets = join(dir, "dashboard");
    if (existsSync(bundles.orchestrator) && existsSync(bundles.agent)) {
      return existsSync(join(assets, "index.html")) ? { ...bundles, assets } : bundles;
    }
  }
  throw new BernsteinError("stack_failed", `the Worker bundles are missing (looked in ${candidates.join(", ")})`, {
    details: { fix: "Build the CLI and the Workers with `pnpm build` at the repository root." },
  });
}
