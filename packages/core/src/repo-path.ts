import { BernsteinError, type ErrorCode } from "./errors.js";

/**
 * Normalises a repo-relative POSIX path ("./a//b/" -> "a/b") and refuses anything that would
 * leave the repository: absolute paths, drive letters, backslashes, `..` above the root, and
 * any `.git` component at any depth in any case (`sub/.git/config`, `.GIT/hooks`), which git
 * would read as a repository's own files. Returns "" for the root itself.
 */
export function normalizeRepoPath(input: string, code: ErrorCode = "path_escape"): string {
  if (input.includes("\0")) throw escapeError(input, code, "contains a NUL byte");
  if (input.includes("\\")) throw escapeError(input, code, "uses backslashes; use POSIX '/' separators");
  if (input.startsWith("/") || /^[a-zA-Z]:/.test(input)) throw escapeError(input, code, "is absolute");
  const parts: string[] = [];
  for (const part of input.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) throw escapeError(input, code, "escapes the repository root");
      parts.pop();
      continue;
    }
    if (isDotGit(part)) throw escapeError(input, code, `has a ${JSON.stringify(part)} component (a .git directory)`);
    parts.push(part);
  }
  return parts.join("/");
}

/**
 * True for a path component that git (or a case-insensitive, NTFS or HFS+ file system) takes
 * for `.git`: any case, trailing dots or spaces, HFS+'s ignored code points, NTFS's `git~1`.
 */
export function isDotGit(component: string): boolean {
  const folded = component
    .replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, "")
    .replace(/[. ]+$/, "")
    .toLowerCase();
  return folded === ".git" || folded === "git~1";
}

function escapeError(path: string, code: ErrorCode, why: string): BernsteinError {
  return new BernsteinError(code, `path "${path}" ${why}`, { details: { path } });
}
