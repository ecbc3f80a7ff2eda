import { type ModelScript, startTestStack as startHarness, TEST_MODEL_KEY, type TestStack } from "@bernstein/testing";
import { STACK_BUNDLES } from "./bundles.js";

export const MODEL_KEY = TEST_MODEL_KEY;
export type { TestStack };

/** The orchestrator's own built bundle and the agent's, in the test harness's local stack. */
export function startTestStack(script: ModelScript, settings?: Record<string, string>): Promise<TestStack> {
  return startHarness({ bundles: STACK_BUNDLES, script, ...(settings ? { settings } : {}) });
}
