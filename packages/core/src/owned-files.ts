import picomatch from "picomatch/posix";
import { compileGlob } from "./safe-pattern.js";

/**
 * Owned-file patterns are repo-relative paths or globs (`src/auth/**`, `*.md`). Two tasks
 * conflict when some file could belong to both. Glob against glob is decided conservatively
 * (by their literal base directories), so a false "overlap" only serialises two tasks; a
 * false "no overlap" could never happen for patterns whose bases are unrelated.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const sa = picomatch.scan(a);
  const sb = picomatch.scan(b);
  if (!sa.isGlob && !sb.isGlob) return sameOrNested(trimSlash(a), trimSlash(b));
  if (!sa.isGlob) return literalMeetsGlob(trimSlash(a), b, sb.base);
  if (!sb.isGlob) return literalMeetsGlob(trimSlash(b), a, sa.base);
  return sameOrNested(sa.base, sb.base);
}

/** True when any pattern of `a` overlaps any pattern of `b`. */
export function ownedFilesOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((pa) => b.some((pb) => patternsOverlap(pa, pb)));
}

/** True when `path` is owned by one of `patterns` (a literal owns itself and what is under it). */
export function isOwnedBy(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const scan = picomatch.scan(p);
    if (!scan.isGlob) return isSameOrUnder(path, trimSlash(p));
    return globMatcher(p)(path);
  });
}

function literalMeetsGlob(literal: string, glob: string, globBase: string): boolean {
  if (globMatcher(glob)(literal)) return true;
  // The literal is a directory holding the glob's base: it holds every match.
  if (isSameOrUnder(globBase, literal)) return true;
  if (!isSameOrUnder(literal, globBase)) return false;
  // The literal sits below the base: as a directory it may hold matches when the glob can
  // reach deeper than the literal itself (a `**`, or more segments than the literal has).
  return glob.includes("**") || segments(glob) > segments(literal);
}

function segments(path: string): number {
  return path.split("/").filter((s) => s !== "").length;
}

function sameOrNested(a: string, b: string): boolean {
  return isSameOrUnder(a, b) || isSameOrUnder(b, a);
}

/** `child` equals `parent` or lies below it (segment-wise; "" is the root and holds all). */
function isSameOrUnder(child: string, parent: string): boolean {
  return parent === "" || child === parent || child.startsWith(`${parent}/`);
}

function trimSlash(p: string): string {
  return p.replace(/^\.\//, "").replace(/\/+$/, "");
}

/** Compiled globs (linear-time, see `compileGlob`), kept because the scheduler asks often. */
const matchers = new Map<string, (path: string) => boolean>();

function globMatcher(glob: string): (path: string) => boolean {
  let matcher = matchers.get(glob);
  if (!matcher) {
    if (matchers.size >= 1_000) matchers.clear();
    matcher = compileGlob(glob);
    matchers.set(glob, matcher);
  }
  return matcher;
}
