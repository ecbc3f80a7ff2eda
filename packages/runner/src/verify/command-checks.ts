import { type Check, type CommandRun, commandCheckId, exitText, MAX_CHECKS } from "@bernstein/core";
import { clipMessage, type TestCase } from "../reports/test-case.js";

/**
 * The checks of one verify command: its test cases when its reports named any (`<command> ::
 * <name>`), else the command itself (`$ <command>`, passed when it exited 0).
 */
export function checksOf(run: CommandRun, cases: readonly TestCase[], tail: string): Check[] {
  if (cases.length === 0) {
    const id = commandCheckId(run.command);
    const passed = run.exitCode === 0 && !run.timedOut;
    const message = passed ? undefined : clipMessage(`${exitText(run)}\n${tail}`);
    return [
      { id, name: id, command: run.command, status: passed ? "passed" : "failed", ...(message ? { message } : {}) },
    ];
  }
  return cases.map((c) => ({
    id: `${run.command} :: ${c.name}`,
    name: c.name,
    command: run.command,
    status: c.status,
    ...(c.message ? { message: c.message } : {}),
    source: c.source,
  }));
}

/**
 * One check per id (a name reported twice, e.g. by two reports of one command, fails when
 * either failed), and at most `MAX_CHECKS`: when cut, failures are kept first.
 */
export function finalChecks(all: readonly Check[]): { checks: Check[]; cut: number } {
  const byId = new Map<string, Check>();
  for (const check of all) {
    const seen = byId.get(check.id);
    if (!seen || (check.status === "failed" && seen.status !== "failed")) byId.set(check.id, check);
  }
  const unique = [...byId.values()];
  if (unique.length <= MAX_CHECKS) return { checks: unique, cut: 0 };
  const failed = unique.filter((c) => c.status === "failed");
  const others = unique.filter((c) => c.status !== "failed");
  const kept = [...failed, ...others].slice(0, MAX_CHECKS);
  return { checks: kept, cut: unique.length - kept.length };
}
