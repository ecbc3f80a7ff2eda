import { BernsteinError, type ErrorCode } from "./errors.js";

/**
 * Normalises a repo-relative POSIX path ("./a//b/" -> "a/b") and refuses anything that would
 * leave the repository: absolute paths, drive letters, backslashes, `..` above the root, and
 * the `.git` directory. Returns "" for the root itself.
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
    parts.push(part);
  }
  if (parts[0] === ".git") throw escapeError(input, code, "points into .git");
  return parts.join("/");
}

function escapeError(path: string, code: ErrorCode, why: string): BernsteinError {
  return new BernsteinError(code, `path "${path}" ${why}`, { details: { path } });
}
