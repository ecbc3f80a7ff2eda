import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// The orchestrator is tested through the real local stack (both Worker bundles under
// Miniflare, D1/R2/DO/Workflows in workerd), driven over HTTP from Node; only the model is
// scripted. The bundles are built before the tests (turbo `test` depends on `build`).
export default defineConfig({
  test: { ...sharedTest, include: ["test/**/*.test.ts"], pool: "forks", fileParallelism: false },
});
