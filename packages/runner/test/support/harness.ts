import { fileURLToPath } from "node:url";
import { type ModelScript, startTestStack as startHarness, type TestStack } from "@bernstein/testing";

export type { TestStack };

/**
 * The built orchestrator and agent bundles in the test harness's local stack (`openai`: that
 * provider too; `settings`: orchestrator settings such as `RUNNER_LEASE_SECONDS`).
 */
export function startTestStack(
  script: ModelScript,
  options: { openai?: boolean; settings?: Record<string, string> } = {},
): Promise<TestStack> {
  return startHarness({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    script,
    ...options,
  });
}
