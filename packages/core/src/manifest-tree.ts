import { BernsteinError, type ErrorCode } from "./errors.js";
import { normalizeRepoPath } from "./repo-path.js";
import type { Manifest } from "./schemas/manifest.js";

/**
 * Checks that a manifest describes a tree that can be written as is, and returns its paths,
 * sorted: every path is a normalised repo path (no `..`, no absolute path, no `.git` component
 * at any depth), and no entry lies below another entry (a file, or a symlink, is never a
 * folder). A refusal names the path.
 */
export function checkManifestTree(manifest: Manifest, code: ErrorCode = "invalid_body"): string[] {
  const paths = Object.keys(manifest).sort();
  const all = new Set(paths);
  for (const path of paths) {
    let normal: string;
    try {
      normal = normalizeRepoPath(path, code);
    } catch (error) {
      throw new BernsteinError(code, `manifest path ${JSON.stringify(path)}: ${(error as Error).message}`, {
        cause: error,
        details: { path },
      });
    }
    if (normal !== path) {
      throw new BernsteinError(code, `manifest path ${JSON.stringify(path)} is not a normalised repo path`, {
        details: { path },
      });
    }
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const parent = path.slice(0, slash);
      if (all.has(parent)) {
        throw new BernsteinError(code, `manifest has a file under a file: "${path}" below "${parent}"`, {
          details: { path, parent },
        });
      }
    }
  }
  return paths;
}

/**
 * Why a symlink at `linkPath` with `target` would point outside the tree (absolute, `..`
 * above the root, into `.git`), or undefined when it stays inside.
 */
export function symlinkEscape(linkPath: string, target: string): string | undefined {
  if (target === "" || target.includes("\0")) return "has an empty or NUL target";
  if (target.startsWith("/")) return `points to the absolute path ${JSON.stringify(target)}`;
  const dir = linkPath.includes("/") ? linkPath.slice(0, linkPath.lastIndexOf("/")) : "";
  try {
    normalizeRepoPath(dir === "" ? target : `${dir}/${target}`);
    return undefined;
  } catch (error) {
    return `points outside the tree (${JSON.stringify(target)}: ${(error as Error).message})`;
  }
}
