import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { isNotFound } from "../stack/stack-file.js";
import { gitText, runGit } from "./exec.js";

const NOT_A_REPO_FIX =
  "Run bernstein inside a git repository (cd into it), or create one: git init && git add -A && git commit -m init";

/** The top directory of the git work tree containing `cwd`; `not_a_git_repo` if there is none. */
export async function findRepoRoot(cwd: string): Promise<string> {
  if (!existsSync(cwd)) {
    throw new BernsteinError("not_a_git_repo", `${cwd} does not exist`, { details: { fix: NOT_A_REPO_FIX } });
  }
  try {
    return await gitText(["rev-parse", "--show-toplevel"], { cwd });
  } catch (error) {
    if (error instanceof BernsteinError && error.code === "git_error" && error.details?.exitCode !== undefined) {
      throw new BernsteinError("not_a_git_repo", `${cwd} is not inside a git work tree`, {
        cause: error,
        details: { fix: NOT_A_REPO_FIX },
      });
    }
    throw error;
  }
}

/** The commit at HEAD, or null in a repository without commits. */
export async function headCommit(root: string): Promise<string | null> {
  const { stdout } = await runGit(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: root, okCodes: [1] });
  const sha = stdout.toString("utf8").trim();
  return sha === "" ? null : sha;
}

/**
 * Keeps a directory of the repo (the state dir) out of git without touching tracked files:
 * appends `<dir>/` (e.g. `.bernstein/`) to `.git/info/exclude` once.
 */
export async function excludeFromGit(root: string, dir: string): Promise<void> {
  const rel = relative(root, isAbsolute(dir) ? dir : resolve(root, dir));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return; // outside the work tree
  // `.bernstein/` matches that directory; a nested `a/b/` is anchored by its inner slash.
  const pattern = `${rel.split("\\").join("/")}/`;
  const excludePath = resolve(root, await gitText(["rev-parse", "--git-path", "info/exclude"], { cwd: root }));
  let current = "";
  try {
    current = await readFile(excludePath, "utf8");
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const lines = current.split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(pattern) || lines.includes(`/${pattern}`)) return;
  await mkdir(dirname(excludePath), { recursive: true });
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  await appendFile(excludePath, `${separator}${pattern}\n`);
}
