import { createInterface } from "node:readline";
import { InterruptError } from "../interrupt.js";
import type { CliIo } from "../io.js";

/**
 * The terminal that keys come from, if stdin is one. Stdin alone decides: a terminal echoes
 * what is typed unless raw mode turns that off, even when stdout is a pipe or a file.
 */
export function terminalInput(io: CliIo): NodeJS.ReadStream | undefined {
  return io.tty?.stdin ?? (process.stdin.isTTY ? process.stdin : undefined);
}

/** One line typed on the terminal (echoed); the prompt goes to the terminal, or stderr. */
export async function readLine(input: NodeJS.ReadStream, io: CliIo, prompt: string): Promise<string> {
  // The monitor (Ink) leaves stdin unref'd when it closes: without this the process would end
  // at the prompt, before the answer (`run --wait` at a budget pause).
  input.ref();
  const rl = createInterface({ input, output: io.tty?.stdout ?? process.stderr });
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
    input.unref();
  }
}

/**
 * A secret value: on a terminal typed without echo (raw mode, Enter ends it, Ctrl-C stops),
 * else all of stdin with one trailing newline dropped. It is never printed.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  const stdin = terminalInput(io);
  if (!stdin) {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, "");
  }
  const out = io.tty?.stdout ?? io.stderr;
  // Echo goes off before the prompt shows: keys typed as soon as it does are not echoed.
  stdin.setRawMode(true);
  out.write(prompt);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            resolve(value);
            return;
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            reject(new InterruptError("SIGINT"));
            return;
          }
          value = ch === "\u007f" || ch === "\b" ? value.slice(0, -1) : value + ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    out.write("\n");
  }
}
