import { render } from "ink-testing-library";
import type { ReactElement } from "react";

/** Key sequences a terminal sends. */
export const KEY = {
  up: "\u001b[A",
  down: "\u001b[B",
  enter: "\r",
  escape: "\u001b",
  ctrlC: "\u0003",
} as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/** A rendered Ink tree (ink-testing-library: a 100-column terminal) with helpers to drive it. */
export interface Tui {
  /** The last frame as written, colour codes included. */
  rawFrame(): string;
  /** The last frame without colour codes. */
  frame(): string;
  /** Types keys (see `KEY`) and lets Ink handle them. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the frame satisfies `check`; returns that frame. */
  waitFor(check: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

/** The one way tests render the monitor's components. */
export function renderTui(element: ReactElement): Tui {
  const instance = render(element);
  const rawFrame = () => instance.lastFrame() ?? "";
  const frame = () => rawFrame().replace(ANSI, "");
  return {
    rawFrame,
    frame,
    async press(...keys) {
      for (const key of keys) {
        instance.stdin.write(key);
        // Ink reads input on the next tick; React renders after that.
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    },
    async waitFor(check, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(frame())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the frame was:\n${frame()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return frame();
    },
    unmount: () => instance.unmount(),
  };
}
