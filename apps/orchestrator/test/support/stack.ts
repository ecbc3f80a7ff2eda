import { fileURLToPath } from "node:url";
import { type ModelScript, startTestStack as startHarness, TEST_MODEL_KEY, type TestStack } from "@bernstein/testing";
import { STACK_BUNDLES } from "./bundles.js";

export const MODEL_KEY = TEST_MODEL_KEY;
export type { TestStack };

/**
 * The built dashboard, this Worker's static assets: the same directory `wrangler.jsonc` names
 * (turbo builds it before this Worker; it is no package dependency, which would be a cycle).
 */
export const DASHBOARD_DIST = fileURLToPath(new URL("../../../dashboard/dist", import.meta.url));

/** The orchestrator's own built bundle and the agent's, in the test harness's local stack. */
export function startTestStack(script: ModelScript, settings?: Record<string, string>): Promise<TestStack> {
  return startHarness({
    bundles: { ...STACK_BUNDLES, assets: DASHBOARD_DIST },
    script,
    ...(settings ? { settings } : {}),
  });
}
