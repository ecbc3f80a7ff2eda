#!/usr/bin/env node
// The installed `bernstein` command: a checked-in launcher so the bin link exists before the
// build; the CLI itself is dist/main.js (built by scripts/build.mjs).
import("../dist/main.js").catch((error) => {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/main.js")) {
    process.stderr.write(
      "error: internal: the bernstein CLI is not built\n  Run `pnpm build` at the repository root.\n",
    );
    process.exit(70);
  }
  throw error;
});
