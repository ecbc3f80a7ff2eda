import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * Vitest setup file: each test file gets its own XDG_CONFIG_HOME and XDG_CACHE_HOME (wrangler's
 * and Bernstein's config, the runner's workspaces), so files that run side by side share no
 * directory. Children started with this process's environment (the built bin) inherit them; a
 * test that sets its own still wins.
 */
const root = mkdtempSync(join(tmpdir(), "bernstein-cli-file-"));
process.env.XDG_CONFIG_HOME = join(root, "config");
process.env.XDG_CACHE_HOME = join(root, "cache");

afterAll(() => {
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});
