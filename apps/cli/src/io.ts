/** A stream the CLI writes to: process.stdout/stderr, or a buffer in tests. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/** Everything a command touches outside itself, so tests can run the real program in process. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted on the first Ctrl-C (SIGINT). */
  signal: AbortSignal;
  /** The terminal, when stdin and stdout both are one: the live monitor draws there. */
  tty?: Terminal | undefined;
}

/** An interactive terminal: keys come from `stdin`, the monitor draws on `stdout`. */
export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** The process's own streams, environment and directory. */
export function processIo(signal: AbortSignal): CliIo {
  const tty =
    process.stdin.isTTY && process.stdout.isTTY ? { stdin: process.stdin, stdout: process.stdout } : undefined;
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal, tty };
}
