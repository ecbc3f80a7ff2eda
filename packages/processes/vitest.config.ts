import { sharedTest } from "@bernstein/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { ...sharedTest } });
