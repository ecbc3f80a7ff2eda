import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// Component tests render with ink-testing-library; the live tests start the real local stack
// (both Worker bundles under Miniflare) with a scripted model, so files run one at a time.
// FORCE_COLOR makes Ink colour its frames, so tests can check that `color: false` (NO_COLOR) has none.
// Ink renders only the last frame when it believes it runs in CI (CI=true), so tests say it does not.
export default defineConfig({
  test: {
    ...sharedTest,
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    env: { FORCE_COLOR: "1", CI: "false", CONTINUOUS_INTEGRATION: "false" },
  },
});
