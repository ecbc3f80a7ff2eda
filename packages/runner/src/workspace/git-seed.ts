import { spawn } from "node:child_process";
import { BernsteinError } from "@bernstein/core";
import { runGit } from "../git.js";

/** True when `commit` is a commit of the repository at `repoRoot`. */
export async function hasCommit(repoRoot: string, commit: string): Promise<boolean> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return false;
  const { code } = await runGit(["rev-parse", "--verify", "--quiet", `${commit}^{commit}`], repoRoot, [1]);
  return code === 0;
}

/**
 * Writes the files of `commit` into the empty directory `dir` (`git archive | tar -x`): a new
 * workspace then downloads only the files that differ from the commit. Nothing links the
 * directory to the repository (no `.git`), and what git's attributes changed on the way out is
 * corrected by the sync that follows, which compares every file with the manifest.
 */
export function seedFromCommit(repoRoot: string, commit: string, dir: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn("git", ["-c", "core.autocrlf=false", "archive", "--format=tar", commit], {
      cwd: repoRoot,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    const tar = spawn("tar", ["-x", "-f", "-", "-C", dir], {
      stdio: ["pipe", "ignore", "pipe"],
      ...(signal ? { signal } : {}),
    });
    archive.stdout.pipe(tar.stdin);
    const errors: string[] = [];
    archive.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString("utf8")));
    tar.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString("utf8")));
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        const why = errors.join("").trim().split("\n").slice(0, 2).join(" ");
        reject(
          new BernsteinError(
            "git_error",
            `${what} of ${commit.slice(0, 12)} failed (exit ${code})${why ? `: ${why}` : ""}`,
          ),
        );
      }
      if (--pending === 0 && !failed) resolve();
    };
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      reject(
        new BernsteinError("git_error", `could not seed the workspace from git: ${error.message}`, { cause: error }),
      );
    };
    archive.on("error", fail);
    tar.on("error", fail);
    archive.on("close", done("git archive"));
    tar.on("close", done("tar -x"));
  });
}
