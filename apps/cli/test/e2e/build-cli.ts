import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Vitest global setup: the end-to-end tests drive the built CLI, so build it once first. */
export default function setup(): void {
  const app = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync(process.execPath, [join(app, "scripts", "build.mjs")], { cwd: app, stdio: "pipe" });
}
