// Rewrites apps/{orchestrator,agent}/wrangler.jsonc from @bernstein/stack-spec (the one source
// of the stack's shape). `src/checked-in-configs.test.ts` fails while they are stale.
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { checkedInConfigText, WORKER_KEYS } from "@bernstein/stack-spec";

const paths: string[] = [];
for (const key of WORKER_KEYS) {
  const path = fileURLToPath(import.meta.resolve(`@bernstein/${key}/wrangler.jsonc`));
  await writeFile(path, checkedInConfigText(key));
  paths.push(path);
}
// In the repo's own format, so `biome ci` stays clean.
execFileSync("biome", ["format", "--write", ...paths], { stdio: "inherit" });
