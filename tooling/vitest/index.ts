import type { ViteUserConfig } from "vitest/config";

/** Settings every test project shares: where tests live and how long they may wait. */
export const sharedTest = {
  include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  reporters: process.env.CI ? ["default"] : ["default"],
  restoreMocks: true,
} satisfies NonNullable<ViteUserConfig["test"]>;
