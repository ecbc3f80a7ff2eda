/** Settings every test project shares: where tests live and how long they may wait. */
export declare const sharedTest: {
  include: string[];
  testTimeout: number;
  hookTimeout: number;
  restoreMocks: boolean;
};
