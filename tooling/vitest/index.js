// Plain JS (with a .d.ts beside it) because vitest loads config files' imports from
// node_modules without transpiling them.

/** Settings every test project shares: where tests live and how long they may wait. */
export const sharedTest = {
  include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts", "test/**/*.test.tsx"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  restoreMocks: true,
};
