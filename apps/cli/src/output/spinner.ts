import type { OutStream } from "../io.js";

export interface Spinner {
  /** Changes the text shown next to the spinner. */
  update(text: string): void;
  /** Removes the spinner line (and prints `final` in its place when given). */
  stop(final?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A spinner for waits: drawn only on a terminal and only once the wait passes `delayMs`, so
 * quick operations and piped output stay clean.
 */
export function startSpinner(stream: OutStream, text: string, delayMs = 1_000): Spinner {
  if (stream.isTTY !== true) {
    return {
      update() {},
      stop(final) {
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
