// Plain JS (with a .d.ts beside it) because vitest loads config files' imports from
// node_modules without transpiling them.

/**
 * Settings every test project shares: where tests live and how long they may wait. The timeouts
 * only catch hangs: on the loaded 2-core CI machine an e2e test runs 3 to 4 times slower than
 * on an idle one, so they sit far above any test's idle duration.
 */
export const sharedTest = {
  include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
  testTimeout: 120_000,
  hookTimeout: 180_000,
  restoreMocks: true,
};
