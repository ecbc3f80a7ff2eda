import { type Key, useInput } from "ink";
import { useRef } from "react";
import { eachKey } from "./key-chunks.js";

/** What the monitor's keys do. */
export interface MonitorKeyHandlers {
  /** Arrows, j/k (1 row), PageUp/PageDown (10 rows). */
  move(delta: number): void;
  /** Enter: the selected task's detail, or back to the activity feed. */
  toggleDetail(): void;
  /** `l`: follow the selected task's log, or stop. */
  toggleLog(): void;
  /** Esc: close the detail or log pane. */
  back(): void;
  /** `a` */
  approve(): void;
  /** `r` (asks first) */
  reject(): void;
  /** `x` (asks first) */
  cancel(): void;
  /** `R` */
  retry(): void;
  /** `q`: leave the monitor; the run goes on. */
  quit(): void;
  /** Ctrl-C: like `q`, but the CLI exits 130. */
  interrupt(): void;
  /** The answer to a pending question (y / n, Enter / Esc). */
  answer(yes: boolean): void;
}

/**
 * Maps key presses to `handlers`; while `asking()`, only the answer keys and Ctrl-C count.
 * `asking` is asked at each key: the key before it, in the same chunk or before a render, may
 * have opened or answered the question.
 */
export function useMonitorKeys(
  handlers: MonitorKeyHandlers,
  options: { asking: () => boolean; active?: boolean },
): void {
  // Ink may deliver a key to the listener of an earlier render: always use this render's handlers.
  const latest = useRef({ handlers, asking: options.asking });
  latest.current = { handlers, asking: options.asking };
  useInput(
    (input, key) => {
      const { handlers, asking } = latest.current;
      eachKey(input, key, (one, oneKey) => handleKey(handlers, asking(), one, oneKey));
    },
    { isActive: options.active ?? true },
  );
}

function handleKey(handlers: MonitorKeyHandlers, asking: boolean, input: string, key: Key): void {
  if (key.ctrl && input === "c") {
    handlers.interrupt();
    return;
  }
  if (asking) {
    if (input === "y" || input === "Y" || key.return) handlers.answer(true);
    else if (input === "n" || input === "N" || key.escape || input === "q") handlers.answer(false);
    return;
  }
  if (key.upArrow || input === "k") {
    handlers.move(-1);
    return;
  }
  if (key.downArrow || input === "j") {
    handlers.move(1);
    return;
  }
  if (key.pageUp) {
    handlers.move(-10);
    return;
  }
  if (key.pageDown) {
    handlers.move(10);
    return;
  }
  if (key.return) {
    handlers.toggleDetail();
    return;
  }
  if (key.escape) {
    handlers.back();
    return;
  }
  const action: Record<string, (() => void) | undefined> = {
    l: handlers.toggleLog,
    a: handlers.approve,
    r: handlers.reject,
    x: handlers.cancel,
    R: handlers.retry,
    q: handlers.quit,
  };
  action[input]?.();
}
