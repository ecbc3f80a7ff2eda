import { sharedTest } from "@bernstein/vitest-config";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { ...sharedTest, name: "unit", include: ["src/**/*.test.ts"], environment: "node" } },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./test/wrangler.jsonc" } })],
        test: { ...sharedTest, name: "workers", include: ["test/**/*.test.ts"] },
      },
    ],
  },
});
