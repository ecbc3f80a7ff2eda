import type { OutStream } from "../io.js";
import { startWaitNotices } from "./wait-notices.js";

export interface Spinner {
  /** Changes the text shown next to the spinner. */
  update(text: string): void;
  /** Removes the spinner line (and prints `final` in its place when given). */
  stop(final?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A spinner for waits, shown once the wait passes `delayMs` (quick operations stay clean). On
 * a terminal it is drawn in place; elsewhere (a pipe, a CI log) it is a line saying what it
 * waits for, then a line at least every 10 s while it lasts, so a wait never looks like a hang.
 */
export function startSpinner(stream: OutStream, text: string, delayMs = 1_000): Spinner {
  if (stream.isTTY !== true) {
    let current = text;
    let notices: ReturnType<typeof startWaitNotices> | undefined;
    const first = setTimeout(() => {
      stream.write(`${current}\n`);
      notices = startWaitNotices(
        (line) => stream.write(`${line}\n`),
        (seconds) => `${current} (still waiting, ${seconds + Math.round(delayMs / 1000)} s)`,
      );
    }, delayMs);
    first.unref?.();
    return {
      update(next) {
        current = next;
      },
      stop(final) {
        clearTimeout(first);
        notices?.stop();
        if (final) stream.write(`${final}\n`);
      },
    };
  }
  let current = text;
  let frame = 0;
  let drawn = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    drawn = true;
    stream.write(`\r\u001b[2K${FRAMES[frame % FRAMES.length]} ${current}`);
    frame++;
  };
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, 80);
    interval.unref?.();
  }, delayMs);
  delay.unref?.();
  return {
    update(next) {
      current = next;
    },
    stop(final) {
      clearTimeout(delay);
      if (interval) clearInterval(interval);
      if (drawn) stream.write("\r\u001b[2K");
      if (final) stream.write(`${final}\n`);
    },
  };
}
