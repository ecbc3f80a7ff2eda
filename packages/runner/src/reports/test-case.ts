import { type CheckStatus, MAX_CHECK_MESSAGE } from "@bernstein/core";

/** A test case read from a report: TAP on a command's stdout, or a JUnit XML file. */
export interface TestCase {
  /** `suite › test` as the report nests it. */
  name: string;
  status: CheckStatus;
  message?: string;
  /** `stdout`, or the report's repo-relative path. */
  source: string;
}

/** A failure message cut to what a check carries. */
export function clipMessage(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_CHECK_MESSAGE ? `${trimmed.slice(0, MAX_CHECK_MESSAGE - 4)} ...` : trimmed;
}

/** Joins name parts, skipping empty ones and repeats (`classname` often equals the suite's name). */
export function joinName(parts: readonly (string | undefined)[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    const text = part?.trim();
    if (text && kept[kept.length - 1] !== text) kept.push(text);
  }
  return kept.join(" › ");
}
