import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// Most files drive the built bin against a real local stack and spend their time waiting on it,
// so two files run at a time (vitest's default on a 2-core machine is one). Each file has its own
// config and cache directories (test/support/own-dirs.ts); stacks listen on ports of their own.
export default defineConfig({
  test: {
    ...sharedTest,
    environment: "node",
    maxWorkers: 2,
    globalSetup: ["./test/e2e/build-cli.ts"],
    setupFiles: ["./test/support/own-dirs.ts"],
  },
});
