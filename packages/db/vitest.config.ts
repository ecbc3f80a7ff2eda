import { sharedTest } from "@bernstein/vitest-config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig(async () => {
  // How wrangler itself reads ./drizzle: a test compares it with the embedded MIGRATIONS.
  const wranglerMigrations = await readD1Migrations(new URL("./drizzle", import.meta.url).pathname);
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./test/wrangler.jsonc" },
              miniflare: { bindings: { TEST_MIGRATIONS: wranglerMigrations } },
            }),
          ],
          test: {
            ...sharedTest,
            name: "workers",
            exclude: [...configDefaults.exclude, "test/node/**"],
            setupFiles: ["./test/setup.ts"],
          },
        },
        // The wrangler CLI compatibility check needs Node (child processes, the filesystem). Each
        // test starts wrangler and Miniflare (20 s on a loaded 2-core machine): the shared 120 s
        // timeout covers it.
        { test: { ...sharedTest, name: "node", include: ["test/node/**/*.test.ts"], environment: "node" } },
      ],
    },
  };
});
