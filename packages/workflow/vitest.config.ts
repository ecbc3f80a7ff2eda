import { sharedTest } from "@bernstein/vitest-config";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Everything here touches `cloudflare:workers`/`cloudflare:workflows`, so all tests run in
// workerd, against the real Workflow in test/worker.ts.
export default defineConfig({
  plugins: [cloudflareTest({ main: "./test/worker.ts", wrangler: { configPath: "./test/wrangler.jsonc" } })],
  test: { ...sharedTest },
});
