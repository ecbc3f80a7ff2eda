import { spawn } from "node:child_process";
import { BernsteinError } from "@bernstein/core";
import { gitFailure } from "./exec.js";

/** One object read from git's object database. */
export interface GitObject {
  sha1: string;
  type: string;
  content: Buffer;
}

/**
 * Reads objects through one `git cat-file --batch` process, in the order asked, with stream
 * backpressure (one blob in memory at a time). A missing object is a `git_error`.
 */
export async function* readGitObjects(
  root: string,
  sha1s: readonly string[],
): AsyncGenerator<GitObject, void, undefined> {
  if (sha1s.length === 0) return;
  const child = spawn("git", ["cat-file", "--batch"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number>((resolve) => {
    // A spawn failure (no git) leaves stdout empty: it surfaces as the failure below.
    child.on("error", (error) => {
      stderr.push(Buffer.from(error.message));
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 128));
  });
  child.stdin.on("error", () => undefined); // git exiting early is reported through `exited`
  child.stdin.end(`${sha1s.join("\n")}\n`);

  const queue = new ByteQueue();
  let index = 0;
  let pending: { sha1: string; type: string; size: number } | undefined;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      queue.push(chunk);
      while (true) {
        if (pending === undefined) {
          const line = queue.takeLine();
          if (line === undefined) break;
          pending = parseHeader(line, sha1s[index] ?? "");
        }
        if (queue.length < pending.size + 1) break;
        const content = queue.take(pending.size);
        queue.take(1); // the LF after the content
        index++;
        yield { sha1: pending.sha1, type: pending.type, content };
        pending = undefined;
      }
    }
  } finally {
    if (index < sha1s.length) child.kill();
  }
  const code = await exited;
  if (index < sha1s.length) {
    throw gitFailure(["cat-file", "--batch"], code, Buffer.concat(stderr).toString("utf8"));
  }
}

function parseHeader(line: string, asked: string): { sha1: string; type: string; size: number } {
  const parts = line.split(" ");
  if (parts[1] === "missing" || parts.length !== 3) {
    throw new BernsteinError("git_error", `git object ${asked} is missing from the repository`, {
      details: { object: asked, line },
    });
  }
  return { sha1: parts[0] as string, type: parts[1] as string, size: Number(parts[2]) };
}

/** A FIFO of byte chunks that avoids re-concatenating on every read. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the next LF-terminated line (without the LF), if complete. */
  takeLine(): string | undefined {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(0x0a);
      if (at >= 0) {
        const line = this.take(offset + at).toString("utf8");
        this.take(1);
        return line;
      }
      offset += chunk.length;
    }
    return undefined;
  }

  /** Removes and returns exactly `n` bytes (the caller checked `length`). */
  take(n: number): Buffer {
    const parts: Buffer[] = [];
    let needed = n;
    while (needed > 0) {
      const head = this.chunks[0] as Buffer;
      if (head.length <= needed) {
        parts.push(head);
        this.chunks.shift();
        needed -= head.length;
      } else {
        parts.push(head.subarray(0, needed));
        this.chunks[0] = head.subarray(needed);
        needed = 0;
      }
    }
    this.length -= n;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
  }
}
