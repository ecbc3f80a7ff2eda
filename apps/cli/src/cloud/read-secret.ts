import { createInterface } from "node:readline";
import { InterruptError } from "../interrupt.js";
import type { CliIo } from "../io.js";

/** One line typed on the terminal (echoed). */
export async function readLine(io: CliIo, prompt: string): Promise<string> {
  const input = io.tty?.stdin ?? process.stdin;
  const rl = createInterface({ input, output: io.tty?.stdout ?? process.stderr });
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
  }
}

/**
 * A secret value: on a terminal typed without echo (raw mode, Enter ends it, Ctrl-C stops),
 * else all of stdin with one trailing newline dropped. It is never printed.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  if (!io.tty) {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, "");
  }
  const { stdin, stdout } = io.tty;
  stdout.write(prompt);
  stdin.setRawMode(true);
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
    stdout.write("\n");
  }
}
