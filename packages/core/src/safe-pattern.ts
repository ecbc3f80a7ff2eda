import { RE2JS } from "re2js";
import { BernsteinError, type ErrorCode } from "./errors.js";

/**
 * Patterns that come from a model or a user (the agent's `search`, glob signals, owned files,
 * config globs) run on RE2 (re2js): matching is linear in the input whatever the pattern, so
 * no pattern can stall the stack. What RE2 cannot run in linear time (lookaround,
 * backreferences) is refused with a message rather than run on a backtracking engine.
 */

/** Longest pattern accepted (a regex or a glob). */
export const MAX_PATTERN_LENGTH = 1_000;

/** A compiled pattern with linear-time matching. */
export interface SafePattern {
  readonly source: string;
  /** True when the pattern matches somewhere in `text` (unanchored). */
  test(text: string): boolean;
}

/** Compiles a regular expression for `search` (RE2 syntax, which covers everyday JS regexes). */
export function compileSearchPattern(pattern: string, code: ErrorCode = "bad_request"): SafePattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new BernsteinError(code, `the pattern is ${pattern.length} characters; the limit is ${MAX_PATTERN_LENGTH}`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new BernsteinError(
      code,
      `invalid regular expression: ${why} (patterns run on RE2, in linear time: no lookaround or backreferences)`,
    );
  }
  return { source: pattern, test: (text) => compiled.test(text) };
}

/**
 * Compiles a glob over repo-relative POSIX paths: `*` and `?` stay inside a segment, `**` as a
 * whole segment spans any number of them, `[abc]`/`[!abc]` classes, `{a,b}` alternatives,
 * `\` escapes; dotfiles match like other files. Written here rather than taken from picomatch
 * because picomatch compiles to backtracking JS regexes with lookarounds (a glob such as
 * `*a*a*a*a*a*a*a*a*a*a*a*a*b` takes exponential time there), which RE2 cannot run.
 */
export function compileGlob(glob: string, code: ErrorCode = "bad_request"): (path: string) => boolean {
  if (glob.length > MAX_PATTERN_LENGTH) {
    throw new BernsteinError(code, `the glob is ${glob.length} characters; the limit is ${MAX_PATTERN_LENGTH}`);
  }
  // `**/**` is `**`; a trailing slash names the same files.
  const body = glob
    .replace(/^\.\//, "")
    .replace(/\/+$/, "")
    .replace(/(^|\/)\*\*(?:\/\*\*)+(?=\/|$)/g, "$1**");
  const compiled = RE2JS.compile(`^${translate(body, 0)}$`);
  return (path) => compiled.matches(path);
}

const SPECIAL = /[\\^$.|?*+()[\]{}]/g;

function escapeRegex(text: string): string {
  return text.replace(SPECIAL, "\\$&");
}

function translate(glob: string, depth: number): string {
  let out = "";
  for (let i = 0; i < glob.length; ) {
    const ch = glob[i] as string;
    if (ch === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] as string);
      i += 2;
    } else if (ch === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      const segmentStart = i === 0 || glob[i - 1] === "/";
      const segmentEnd = j === glob.length || glob[j] === "/";
      if (j - i >= 2 && segmentStart && segmentEnd) {
        if (j === glob.length) {
          // `a/**` holds `a` itself and everything below; `**` alone is everything.
          out = i === 0 ? `${out}.*` : `${out.slice(0, -1)}(?:/.*)?`;
          i = j;
        } else {
          out += "(?:.*/)?"; // `**/`: any number of leading segments, none included
          i = j + 1;
        }
      } else {
        out += "[^/]*";
        i = j;
      }
    } else if (ch === "?") {
      out += "[^/]";
      i++;
    } else if (ch === "[") {
      const end = classEnd(glob, i);
      if (end < 0) {
        out += "\\[";
        i++;
      } else {
        out += classOf(glob.slice(i + 1, end));
        i = end + 1;
      }
    } else if (ch === "{") {
      const alternatives = braceAlternatives(glob, i);
      if (!alternatives || depth >= 8) {
        out += "\\{";
        i++;
      } else {
        out += `(?:${alternatives.parts.map((p) => translate(p, depth + 1)).join("|")})`;
        i = alternatives.end + 1;
      }
    } else {
      out += escapeRegex(ch);
      i++;
    }
  }
  return out;
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
    else if (glob[i] === "/") return -1;
  }
  return -1;
}

function classOf(inner: string): string {
  const negated = inner.startsWith("!") || inner.startsWith("^");
  const members = (negated ? inner.slice(1) : inner).replace(/\\(.)/g, "$1");
  const escaped = members.replace(/[\\\]^[]/g, "\\$&");
  return negated ? `[^/${escaped}]` : `[${escaped}]`;
}

/** The comma-separated parts of the brace group at `start` (none when it has no comma or no end). */
function braceAlternatives(glob: string, start: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let level = 0;
  let from = start + 1;
  for (let i = start + 1; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "\\") i++;
    else if (ch === "{") level++;
    else if (ch === "}" && level > 0) level--;
    else if (ch === "," && level === 0) {
      parts.push(glob.slice(from, i));
      from = i + 1;
    } else if (ch === "}") {
      parts.push(glob.slice(from, i));
      return parts.length > 1 ? { parts, end: i } : undefined;
    }
  }
  return undefined;
}
