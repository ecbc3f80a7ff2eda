import { BernsteinError } from "./errors.js";
import { runToEnd, type Sliced } from "./sliced.js";

export interface StrictJsonOptions {
  /** Deepest nesting of objects and arrays accepted (default 32). */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 32;
/** Keys that mean something to JavaScript objects rather than to data. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

/**
 * Parses JSON the way a careful API does: the syntax must be valid, no object may repeat a
 * key (`{"a":1,"a":2}`: which one counts is up to the parser, so it is refused), nesting stops
 * at `maxDepth`, and `__proto__` is refused as a key. Every refusal is a 400 `invalid_body`
 * that says what and where. `JSON.parse` plus one linear pass, so a hostile body costs no
 * more than its length.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): unknown {
  return runToEnd(parseStrictJsonInSlices(text, options));
}

/** Characters of the structure check between two pauses (a 3.4 MB body: about 27 slices). */
export const STRICT_JSON_SLICE_CHARS = 128 * 1024;

/**
 * `parseStrictJson` with a pause every `sliceChars` characters of the structure check (the
 * `JSON.parse` before it is one go): the same value or the same refusal.
 */
export function* parseStrictJsonInSlices(
  text: string,
  options: StrictJsonOptions = {},
  sliceChars = STRICT_JSON_SLICE_CHARS,
): Sliced<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BernsteinError("invalid_body", `request body is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // The syntax is valid from here on, so the scan below can read tokens without checking them.
  yield* checkStructure(text, options.maxDepth ?? DEFAULT_MAX_DEPTH, sliceChars);
  return value;
}

interface Frame {
  object: boolean;
  keys: Set<string>;
  expectKey: boolean;
  path: string;
}

function* checkStructure(text: string, maxDepth: number, sliceChars: number): Sliced<void> {
  const stack: Frame[] = [];
  let lastKey = "";
  let pauseAt = sliceChars;
  for (let i = 0; i < text.length; i++) {
    if (i >= pauseAt) {
      yield;
      pauseAt = i + sliceChars;
    }
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const frame = stack[stack.length - 1];
      if (frame?.object && frame.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (FORBIDDEN_KEYS.has(key)) throw refusal(`the key "${key}" is not allowed`, frame.path);
        if (frame.keys.has(key)) throw refusal(`duplicate key ${JSON.stringify(key)}`, frame.path);
        frame.keys.add(key);
        frame.expectKey = false;
        lastKey = key;
      }
      i = end;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      const parent = stack[stack.length - 1];
      const path = !parent ? "(root)" : parent.object ? `${parent.path}.${lastKey}` : `${parent.path}[]`;
      if (stack.length >= maxDepth) throw refusal(`nesting deeper than ${maxDepth} levels`, path);
      stack.push({ object: ch === 0x7b, keys: new Set(), expectKey: ch === 0x7b, path });
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x2c /* , */) {
      const frame = stack[stack.length - 1];
      if (frame?.object) frame.expectKey = true;
    }
  }
}

/** Index of the quote that closes the string opened at `start` (the text is valid JSON). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i++;
    else if (ch === 0x22) break;
  }
  return i;
}

function refusal(what: string, path: string): BernsteinError {
  const where = path.replace(/^\(root\)\./, "");
  const shown = where.length > 120 ? `${where.slice(0, 120)}…` : where;
  return new BernsteinError("invalid_body", `request body is invalid: ${shown}: ${what}`);
}
