import { spawn } from "node:child_process";
import { BIN } from "../e2e/support.js";

/** `bernstein` running on a pseudo-terminal. */
export interface TerminalSession {
  /** Everything the terminal displayed so far: the program's output and any echo of typed keys. */
  screen(): string;
  /** Types keys on the terminal. */
  type(keys: string): void;
  /** Resolves once `text` is on the screen; rejects if the program ends without showing it. */
  waitFor(text: string): Promise<void>;
  exited: Promise<number>;
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the built bin under util-linux `script`, which makes a pseudo-terminal its stdin and
 * stdout, with the terminal's echo on (`-E always`): typed keys show on the screen unless the
 * program turns echo off. With `redirect`, the program's stdout goes to that file instead
 * (stdin stays the terminal).
 */
export function onTerminal(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; redirect?: string },
): TerminalSession {
  let command = [process.execPath, BIN, ...args].map(quote).join(" ");
  if (options.redirect) command += ` > ${quote(options.redirect)}`;
  const child = spawn("script", ["-q", "-e", "-E", "always", "-c", command, "/dev/null"], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let ended = false;
  const waiters = new Set<{ text: string; resolve: () => void; reject: (error: Error) => void }>();
  const settle = () => {
    for (const waiter of waiters) {
      if (screen.includes(waiter.text)) waiter.resolve();
      else if (ended) waiter.reject(new Error(`the program ended before showing "${waiter.text}":\n${screen}`));
      else continue;
      waiters.delete(waiter);
    }
  };
  const onData = (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    settle();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      ended = true;
      child.stdin.end();
      settle();
      resolve(code ?? -1);
    });
  });
  return {
    screen: () => screen,
    type: (keys) => child.stdin.write(keys),
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.add({ text, resolve, reject });
        settle();
      }),
    exited,
  };
}
