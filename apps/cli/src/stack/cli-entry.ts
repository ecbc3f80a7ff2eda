import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The script that runs this CLI, for spawning a detached stack: `dist/main.js` when running
 * the bundle, `bin/bernstein.js` (which loads the bundle) when running from source.
 */
export function cliEntry(env: Readonly<Record<string, string | undefined>>): string {
  if (env.BERNSTEIN_CLI_ENTRY) return env.BERNSTEIN_CLI_ENTRY;
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, "main.js");
  return existsSync(bundled) ? bundled : join(here, "..", "..", "bin", "bernstein.js");
}
