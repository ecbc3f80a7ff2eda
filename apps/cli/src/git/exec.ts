import { spawn } from "node:child_process";
import { BernsteinError } from "@bernstein/core";

export interface GitOptions {
  cwd: string;
  /** Written to git's stdin. */
  input?: string | Uint8Array;
  /** Added to the environment (e.g. GIT_INDEX_FILE). */
  env?: Readonly<Record<string, string>>;
  /** Exit codes that are answers, not failures (e.g. 1 for `git diff --quiet`). */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

/**
 * Runs git with an argument array (never a shell) and returns its stdout; a failure becomes
 * `git_error` carrying git's own message.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(spawnFailure(args, error)));
    child.on("close", (code) => {
      const exit = code ?? 128;
      if (exit === 0 || options.okCodes?.includes(exit)) {
        resolve({ stdout: Buffer.concat(out), code: exit });
        return;
      }
      reject(gitFailure(args, exit, Buffer.concat(err).toString("utf8")));
    });
    // git may exit before reading everything (e.g. a bad revision): that is reported by `close`.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** Runs git and returns stdout as trimmed text. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString("utf8").trim();
}

/** The error for a git command that exited non-zero. */
export function gitFailure(args: readonly string[], code: number, stderr: string): BernsteinError {
  const message = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("hint:"))
    .slice(0, 2)
    .join(" ");
  return new BernsteinError("git_error", `git ${args[0]} failed (exit ${code})${message ? `: ${message}` : ""}`, {
    details: { args: [...args], exitCode: code },
  });
}

function spawnFailure(args: readonly string[], error: Error): BernsteinError {
  const missing = (error as { code?: unknown }).code === "ENOENT";
  return new BernsteinError(
    "git_error",
    missing ? "git is not installed or not on PATH" : `could not run git ${args[0]}: ${error.message}`,
    { cause: error, details: { fix: "Install git (2.30 or newer) and make sure `git --version` works." } },
  );
}
