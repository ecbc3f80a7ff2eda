import type { CommandRun, SetupFailure, SignalRun } from "./checks.js";
import { exitText, type Regression } from "./regressions.js";

/** Names listed in a failure's one-line message (the feedback lists more). */
const MESSAGE_NAMES = 5;
/** Regressions and failed signals the feedback details. */
const FEEDBACK_ITEMS = 30;
/** Lines of a failure message shown per test. */
const MESSAGE_LINES = 8;

export interface FailureInput {
  regressions: readonly Regression[];
  failedSignals: readonly SignalRun[];
  commands: readonly CommandRun[];
  /** The last lines of the job's log. */
  tail: string;
}

/**
 * A failed verification in words: a short `message` that names what failed (the same failure
 * gives the same message, so repeating it is caught as no progress), and the details the next
 * attempt reads after it: the tests that regressed or failed with their messages, each command
 * with its exit code, and the log's last lines.
 */
export function describeFailure(input: FailureInput): { message: string; feedback: string } {
  const { regressions, failedSignals } = input;
  const parts: string[] = [];
  if (regressions.length > 0)
    parts.push(
      `${regressions.length} passing on the integration tree now fail: ${names(regressions.map((r) => r.name))}`,
    );
  if (failedSignals.length > 0)
    parts.push(`test_passes failed: ${names(failedSignals.map((s) => `\`${s.command}\``))}`);
  const message = parts.join("; ") || "verification failed";

  const lines = ["It was verified on the candidate tree: the integration tree with your changes."];
  if (regressions.length > 0) {
    lines.push("", "Checks that pass on the integration tree and fail with your changes:");
    for (const r of regressions.slice(0, FEEDBACK_ITEMS)) {
      const how = r.after === "missing" ? "did not run (its command failed)" : "failed";
      lines.push(`- ${r.name} (\`${r.command}\`): ${how}`, ...indented(r.message));
    }
    if (regressions.length > FEEDBACK_ITEMS) lines.push(`- ... and ${regressions.length - FEEDBACK_ITEMS} more`);
  }
  if (failedSignals.length > 0) {
    lines.push("", "Your task's own checks (test_passes) that failed:");
    for (const s of failedSignals.slice(0, FEEDBACK_ITEMS)) {
      lines.push(`- \`${s.command}\`: ${exitText(s)}`);
      for (const t of s.failedTests) lines.push(`  - ${t.name}`, ...indented(t.message, "      "));
    }
  }
  if (input.commands.length > 0) {
    lines.push("", "Verify commands:");
    for (const c of input.commands) lines.push(`- \`${c.command}\`: ${exitText(c)}`);
  }
  const tail = input.tail.trimEnd();
  if (tail) lines.push("", "The log's last lines:", tail);
  lines.push(
    "",
    "Tests that already failed on the integration tree do not count against you: fix what your change broke, and make your task's own checks pass.",
  );
  return { message, feedback: lines.join("\n") };
}

/** A setup failure in words, with how to fix it (the task is blocked, not retried). */
export function describeSetupFailure(failure: SetupFailure): string {
  const what =
    failure.phase === "setup"
      ? `the verify setup command \`${failure.command}\` failed (${exitText(failure)})`
      : `the verify command \`${failure.command}\` could not run (${exitText(failure)})`;
  const fix =
    failure.phase === "setup"
      ? "fix verify.setup in bernstein.json or the repository, then `bernstein retry` the task"
      : "check that the command exists on the runner (PATH, verify.setup), then `bernstein retry` the task";
  return `${what} on the integration tree, so no change can be verified: ${firstLines(failure.message, 3)}; ${fix}`;
}

function names(all: readonly string[]): string {
  const shown = all.slice(0, MESSAGE_NAMES).join(", ");
  return all.length > MESSAGE_NAMES ? `${shown} and ${all.length - MESSAGE_NAMES} more` : shown;
}

function indented(text: string | undefined, prefix = "    "): string[] {
  if (!text) return [];
  return firstLines(text, MESSAGE_LINES)
    .split("\n")
    .map((line) => `${prefix}${line}`);
}

function firstLines(text: string, count: number): string {
  const lines = text.trim().split("\n");
  return lines.length > count ? `${lines.slice(0, count).join("\n")}\n...` : lines.join("\n");
}
