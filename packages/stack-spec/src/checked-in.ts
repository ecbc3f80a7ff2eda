import { LOCAL_NAMES } from "./names.js";
import { STACK, type WorkerKey } from "./stack.js";
import { PLACEHOLDER_DATABASE_ID, renderJsonc, type WranglerConfig, wranglerConfig } from "./wrangler-config.js";

/**
 * The checked-in `apps/<worker>/wrangler.jsonc`: what `build` (`wrangler deploy --dry-run`) and
 * `wrangler types` read. Local names, a placeholder D1 id: it never deploys anything.
 */
export function checkedInConfig(key: WorkerKey): WranglerConfig {
  return wranglerConfig(key, {
    names: LOCAL_NAMES,
    main: STACK.workers[key].main,
    databaseId: PLACEHOLDER_DATABASE_ID,
    migrationsDir: "../../packages/db/drizzle",
    // The app's own node_modules: pnpm links wrangler there, not at the workspace root.
    schema: "node_modules/wrangler/config-schema.json",
  });
}

/** The text of the checked-in wrangler.jsonc of a Worker. */
export function checkedInConfigText(key: WorkerKey): string {
  return renderJsonc(checkedInConfig(key), [
    STACK.workers[key].description,
    "Generated from packages/stack-spec/src/stack.ts: edit that file, then run",
    "`pnpm --filter @bernstein/deploy write-configs` (a test fails while this file is stale).",
  ]);
}
