import type { Key } from "ink";

/**
 * Keys typed fast (or pasted) can reach Ink's input listener as one chunk ("jj\r"): calls
 * `handle` for each of them in order, Enter as `key.return`. A chunk with Ctrl or Meta is one key.
 */
export function eachKey(input: string, key: Key, handle: (input: string, key: Key) => void): void {
  if (input.length <= 1 || key.ctrl || key.meta) {
    handle(input, key);
    return;
  }
  for (const char of input) handle(char === "\r" ? "" : char, { ...key, return: char === "\r" });
}
