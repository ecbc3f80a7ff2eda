import { readFileSync } from "node:fs";

// `../package.json` is apps/cli/package.json both from src/version.ts and from the bundle at
// dist/main.js, so one relative URL serves the source (tests) and the build.
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/** The CLI's version, from its package.json. */
export const VERSION: string = pkg.version;
