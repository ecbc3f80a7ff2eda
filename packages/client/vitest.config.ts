import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// test/ starts the real local stack (both Worker bundles under Miniflare) per file: one file at a time.
export default defineConfig({ test: { ...sharedTest, environment: "node", fileParallelism: false } });
