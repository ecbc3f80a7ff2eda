import { fileURLToPath } from "node:url";
import { type ModelScript, startTestStack as startHarness, type TestStack } from "@bernstein/testing";

export type { TestStack };

/** The built orchestrator and agent bundles in the test harness's local stack (`openai`: that provider too). */
export function startTestStack(script: ModelScript, options: { openai?: boolean } = {}): Promise<TestStack> {
  return startHarness({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    script,
    ...options,
  });
}
