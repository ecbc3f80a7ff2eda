/**
 * How often a wait off a terminal says it is still waiting: under the 10 s a user (or a CI
 * log) should ever sit without a line, even when the timer fires late on a loaded machine.
 */
export const WAIT_NOTICE_MS = 8_000;

/** Stops the notices of one wait. */
export type StopNotices = () => void;

/**
 * While a wait lasts, writes `line(seconds)` every `everyMs` unless something else was printed
 * meanwhile (`touch()`); the timer never keeps the process alive.
 */
export function startWaitNotices(
  write: (line: string) => void,
  line: (seconds: number) => string,
  everyMs: number = WAIT_NOTICE_MS,
): { touch(): void; stop: StopNotices } {
  const started = Date.now();
  let last = started;
  const timer = setInterval(() => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    write(line(Math.round((last - started) / 1000)));
  }, everyMs / 4);
  timer.unref?.();
  return {
    touch() {
      last = Date.now();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
