import { Parser, type Result } from "tap-parser";
import { clipMessage, joinName, type TestCase } from "./test-case.js";

/** Reads TAP from a command's stdout as it arrives (node --test, tap, and other TAP producers). */
export interface TapReader {
  write(chunk: Buffer): void;
  /** The test cases seen (none when the output was not TAP); leaf tests only, not their suites. */
  end(): Promise<TestCase[]>;
}

interface Point {
  path: string[];
  result: Result;
}

/** A streaming TAP reader built on tap-parser: the output is never held whole. */
export function createTapReader(): TapReader {
  const parser = new Parser();
  const points: Point[] = [];
  const watch = (p: Parser, path: string[]) => {
    p.on("assert", (result: Result) => points.push({ path: [...path, result.name], result }));
    p.on("child", (child: Parser) => watch(child, [...path, child.name]));
  };
  watch(parser, []);
  const completed = new Promise<void>((resolve) => parser.on("complete", () => resolve()));
  return {
    write(chunk) {
      parser.write(chunk);
    },
    async end() {
      parser.end();
      await completed;
      // A suite's own test point closes its subtests: only leaves are checks.
      const parents = new Set(points.map((p) => p.path.slice(0, -1).join("\u0000")));
      return points
        .filter((p) => !parents.has(p.path.join("\u0000")))
        .map(({ path, result }) => ({
          name: joinName(path),
          status: result.skip || result.todo ? "skipped" : result.ok ? "passed" : "failed",
          ...messageOf(result),
          source: "stdout",
        }));
    },
  };
}

function messageOf(result: Result): { message?: string } {
  if (result.ok) return {};
  const diag = (result.diag ?? {}) as Record<string, unknown>;
  const text = [diag.error, diag.message, diag.stack].find((v): v is string => typeof v === "string");
  const message = clipMessage(text);
  return message ? { message } : {};
}
