import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

// Unit tests of the app's pure parts (layout, parsing) and of its build's size, in Node; the pages are
// tested in a real browser by the orchestrator's browser tests (apps/orchestrator/test/browser).
export default defineConfig({ test: { ...sharedTest, environment: "node" } });
