import type { CommandDefinition } from "../../src/commands/define.js";
import type { CliIo } from "../../src/io.js";
import { runCli } from "../../src/program.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Pretend stdout/stderr are terminals (for colour tests). */
  tty?: boolean;
  signal?: AbortSignal;
  commands?: readonly CommandDefinition[];
}

/** Runs the real commander program in this process with captured output. */
export async function runInProcess(argv: readonly string[], options: InProcessOptions): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(argv, io, options.commands);
  return { code, stdout, stderr };
}
