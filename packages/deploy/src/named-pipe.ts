import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/**
 * Runs `use` with a named pipe (mkfifo) in a fresh 0700 temp dir and a `feed` that writes one
 * value into it; the dir is removed afterwards. Data written to a pipe stays in the kernel's
 * buffer, never on disk. (`/dev/stdin` does not work here: Node gives a child a socket, not a pipe.)
 */
export async function withPipe<T>(
  use: (path: string, feed: (value: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "bernstein-pipe-"));
  const path = join(dir, "input");
  try {
    await exec("mkfifo", ["-m", "600", path]);
    // Opening a pipe for writing waits for its reader (wrangler); the write ends when it has read.
    return await use(path, (value) => writeFile(path, value));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
