import { availableParallelism } from "node:os";
import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// Most files drive the built bin against a real local stack and spend their time waiting on it,
// so at least two files run at a time (vitest's default is one fewer than the cores: one on the
// 2-core CI machine). Each file has its own config and cache directories
// (test/support/own-dirs.ts), and every stack listens on a port of its own.
export default defineConfig({
  test: {
    ...sharedTest,
    environment: "node",
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ["./test/e2e/build-cli.ts"],
    setupFiles: ["./test/support/own-dirs.ts"],
  },
});
