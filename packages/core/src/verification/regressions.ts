import type { Check, CommandRun, SetupFailure, SignalRun, TreeChecks } from "./checks.js";

/** A check that passed on the integration tree and does not on the candidate. */
export interface Regression {
  id: string;
  name: string;
  command: string;
  /** `failed`: it ran and failed; `missing`: it did not run because its command failed. */
  after: "failed" | "missing";
  message?: string;
}

/** What the candidate's verification means for the task. */
export type Judgement =
  | { kind: "passed" }
  | { kind: "failed"; regressions: Regression[]; failedSignals: SignalRun[] }
  /** Neither tree could be verified (setup or a command not found): a new attempt cannot help. */
  | { kind: "setup_failed"; failure: SetupFailure }
  /** The candidate has failures: which are regressions needs the integration tree's result. */
  | { kind: "needs_base" };

/** The candidate side of a judgement: its checks and the task's own `test_passes` signals. */
export interface CandidateChecks extends TreeChecks {
  signals: readonly SignalRun[];
}

/**
 * The regression rule. A candidate (the integration tree plus the task's changes) fails only
 * when (a) a check that passes on the integration tree fails on it, or (b) one of the task's
 * own `test_passes` signals fails. So a green suite stays green, a red one may not get worse,
 * and parallel tasks on a red suite never wait for each other. A candidate with nothing
 * failing passes without the integration tree's result.
 */
export function judgeCandidate(candidate: CandidateChecks, base: TreeChecks | null): Judgement {
  const failedSignals = candidate.signals.filter((s) => !s.passed);
  if (candidate.setupFailure) {
    if (!base) return { kind: "needs_base" };
    if (base.setupFailure) return { kind: "setup_failed", failure: base.setupFailure };
    return { kind: "failed", regressions: [setupRegression(candidate.setupFailure)], failedSignals };
  }
  if (!hasFailures(candidate))
    return failedSignals.length > 0 ? { kind: "failed", regressions: [], failedSignals } : { kind: "passed" };
  if (!base) return { kind: "needs_base" };
  const regressions = findRegressions(base, candidate);
  if (regressions.length === 0 && failedSignals.length === 0) return { kind: "passed" };
  return { kind: "failed", regressions, failedSignals };
}

/**
 * Checks that pass on `base` and fail on `candidate`, or that did not run on the candidate
 * because their command failed there; and commands that exit 0 on `base` and not on the
 * candidate (a crash after its tests passed is a regression too). Skipped or removed tests
 * of a command that still passes are not regressions.
 */
export function findRegressions(base: TreeChecks, candidate: TreeChecks): Regression[] {
  const after = new Map(candidate.checks.map((c) => [c.id, c]));
  const commands = new Map(candidate.commands.map((c) => [c.command, c]));
  const found: Regression[] = [];
  const seen = new Set<string>();
  for (const check of base.checks) {
    if (check.status !== "passed" || seen.has(check.id)) continue;
    seen.add(check.id);
    const now = after.get(check.id);
    if (now?.status === "failed") {
      found.push({ ...pick(check), after: "failed", ...(now.message ? { message: now.message } : {}) });
    } else if (!now && !passed(commands.get(check.command))) {
      found.push({ ...pick(check), after: "missing" });
    }
  }
  for (const run of base.commands) {
    const id = commandCheckId(run.command);
    if (!passed(run) || seen.has(id)) continue;
    const now = commands.get(run.command);
    if (now && !passed(now)) {
      seen.add(id);
      found.push({ id, name: id, command: run.command, after: "failed", message: exitText(now) });
    }
  }
  return found;
}

/** Id (and name) of the check a command is when it reports no test cases. */
export function commandCheckId(command: string): string {
  return `$ ${command}`;
}

/** How a command ended, in words: `exit 1`, `timed out`, `did not run`. */
export function exitText(run: Pick<CommandRun, "exitCode" | "timedOut">): string {
  if (run.timedOut) return "timed out";
  return run.exitCode === null ? "did not run" : `exit ${run.exitCode}`;
}

function hasFailures(tree: TreeChecks): boolean {
  return tree.checks.some((c) => c.status === "failed") || tree.commands.some((c) => !passed(c));
}

function passed(run: CommandRun | undefined): boolean {
  return run !== undefined && run.exitCode === 0 && !run.timedOut;
}

function pick(check: Check): Pick<Regression, "id" | "name" | "command"> {
  return { id: check.id, name: check.name, command: check.command };
}

function setupRegression(failure: SetupFailure): Regression {
  const id = `${failure.phase}: ${failure.command}`;
  return { id, name: id, command: failure.command, after: "failed", message: failure.message };
}
