import { spawn } from "node:child_process";
import { BernsteinError } from "@bernstein/core";

/**
 * Runs git with an argument array (never a shell) in `cwd`; a non-zero exit outside `okCodes`
 * is a `git_error` carrying git's first lines of stderr. Resolves with stdout and the exit code.
 */
export function runGit(
  args: readonly string[],
  cwd: string,
  okCodes: readonly number[] = [],
): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) =>
      reject(new BernsteinError("git_error", `could not run git ${args[0]}: ${error.message}`, { cause: error })),
    );
    child.on("close", (code) => {
      const exit = code ?? 128;
      if (exit === 0 || okCodes.includes(exit)) {
        resolve({ stdout: Buffer.concat(out).toString("utf8"), code: exit });
        return;
      }
      const message = Buffer.concat(err)
        .toString("utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("hint:"))
        .slice(0, 2)
        .join(" ");
      reject(
        new BernsteinError("git_error", `git ${args[0]} failed (exit ${exit})${message ? `: ${message}` : ""}`, {
          details: { args: [...args], exitCode: exit },
        }),
      );
    });
  });
}
