import { rm } from "node:fs/promises";
import { join } from "node:path";
import type {
  Check,
  CommandRun,
  JobResultInput,
  Manifest,
  Redactor,
  SetupFailure,
  SignalRun,
  VerifyJob,
} from "@bernstein/core";
import { createCappedLog, DEFAULT_MAX_LOG_BYTES, lastLines } from "../capped-log.js";
import { findReports } from "../reports/find-reports.js";
import type { WarmWorkspace } from "../workspace/warm-workspace.js";
import { checksOf, finalChecks } from "./command-checks.js";
import { runReported } from "./run-reported.js";
import { FAILURE_LINES, runSetup } from "./run-setup.js";

export interface VerifyTreeOptions {
  job: VerifyJob;
  /** The job's manifest (the tree the workspace was synced to). */
  manifest: Manifest;
  workspace: WarmWorkspace;
  /** The commands' environment (an allowlist: `jobEnvironment`). */
  env: Readonly<Record<string, string>>;
  /** Applied to everything the commands print before it is logged, parsed or cut. */
  redact: Redactor;
  signal: AbortSignal;
  maxLogBytes?: number;
}

export interface TreeVerification {
  /** The signal stopped it: nothing must be reported. */
  aborted: boolean;
  result: Omit<JobResultInput, "tail">;
  log: string;
  /** The first command that failed (setup, verify or signal); null when none did. */
  failedCommand: string | null;
}

/** Exit codes of `sh -c` for a command it could not find, or could not execute. */
const NOT_RUNNABLE = new Set([126, 127]);

/**
 * Verifies the workspace's tree for a job: `verify.setup` when its fingerprint changed, then
 * every verify command (a failing one does not stop the others: each is compared with the
 * integration tree's run), then the task's `test_passes` commands. Test cases come from TAP on
 * stdout and from the JUnit reports the commands write (stale reports are removed first).
 */
export async function verifyTree(options: VerifyTreeOptions): Promise<TreeVerification> {
  const { job, workspace, signal } = options;
  const cwd = workspace.dir;
  const started = Date.now();
  const deadline = started + job.timeoutSeconds * 1000;
  const maxLogBytes = options.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES;
  const log = createCappedLog(maxLogBytes);
  const note = (text: string) => log.write(`[runner] ${text}\n`);
  const warnings: string[] = [];
  const common = { cwd, env: options.env, redact: options.redact, deadline, signal, reports: job.reports, maxLogBytes };
  const result = (fields: Partial<TreeVerification["result"]>, failedCommand: string | null, aborted = false) => ({
    aborted,
    failedCommand,
    log: log.text(),
    result: {
      passed: false,
      exitCode: null,
      timedOut: false,
      durationMs: Date.now() - started,
      warnings,
      ...fields,
    },
  });

  // ---- setup, only when its inputs (or commands) changed since the last one that passed here
  const prepared = await runSetup({
    setup: job.setup,
    setupInputs: job.setupInputs,
    manifest: options.manifest,
    workspace,
    env: options.env,
    redact: options.redact,
    deadline,
    signal,
    maxLogBytes,
    log,
  });
  const { setup } = prepared;
  if (prepared.aborted) return result({ setup }, prepared.failedCommand, true);
  if (prepared.failure) {
    const { exitCode, timedOut } = prepared.failure;
    return result({ setup, setupFailure: prepared.failure, exitCode, timedOut }, prepared.failedCommand);
  }

  // ---- verify commands: all of them, each compared on its own
  await removeStaleReports(cwd, job.reports, options.manifest);
  const checks: Check[] = [];
  const commands: CommandRun[] = [];
  const matched = new Set<string>();
  let setupFailure: SetupFailure | null = null;
  let failedCommand: string | null = null;
  for (const command of job.commands) {
    const ran = await runReported({ ...common, command });
    log.write(ran.log);
    if (ran.aborted) return result({ setup }, command, true);
    warnings.push(...ran.warnings);
    for (const file of ran.reportFiles) matched.add(file);
    commands.push(ran.run);
    checks.push(...checksOf(ran.run, ran.cases, lastLines(ran.log, FAILURE_LINES)));
    const ok = ran.run.exitCode === 0 && !ran.run.timedOut;
    if (!ok) failedCommand ??= command;
    if (ran.run.exitCode !== null && NOT_RUNNABLE.has(ran.run.exitCode)) {
      setupFailure ??= {
        phase: "verify",
        command,
        exitCode: ran.run.exitCode,
        timedOut: false,
        message: lastLines(ran.log, FAILURE_LINES),
      };
    }
  }
  if (job.reports.length > 0 && job.commands.length > 0 && matched.size === 0) {
    warnings.push(
      `no report matched verify.reports (${job.reports.join(", ")}): the verify commands are checked by their exit codes`,
    );
  }

  // ---- the task's own test_passes signals
  const signals: SignalRun[] = [];
  for (const command of job.signals) {
    const ran = await runReported({ ...common, command });
    log.write(ran.log);
    if (ran.aborted) return result({ setup }, command, true);
    warnings.push(...ran.warnings);
    const passed = ran.run.exitCode === 0 && !ran.run.timedOut;
    if (!passed) failedCommand ??= command;
    signals.push({
      command,
      passed,
      exitCode: ran.run.exitCode,
      timedOut: ran.run.timedOut,
      failedTests: ran.cases
        .filter((c) => c.status === "failed")
        .slice(0, 20)
        .map((c) => ({ name: c.name, ...(c.message ? { message: c.message } : {}) })),
    });
  }

  const { checks: kept, cut } = finalChecks(checks);
  if (cut > 0) warnings.push(`${cut} passing checks were left out: a job reports at most ${kept.length}`);
  for (const warning of warnings) note(`warning: ${warning}`);
  const firstFailed = commands.find((c) => c.exitCode !== 0 || c.timedOut) ?? signals.find((s) => !s.passed);
  return result(
    {
      passed: !firstFailed && !setupFailure && kept.every((c) => c.status !== "failed"),
      exitCode: firstFailed ? firstFailed.exitCode : 0,
      timedOut: [...commands, ...signals].some((c) => c.timedOut),
      setup,
      checks: kept,
      commands,
      signals,
      setupFailure,
    },
    failedCommand,
  );
}

/** Deletes untracked files matching the report globs: a previous job's reports must not be read as this one's. */
async function removeStaleReports(dir: string, globs: readonly string[], manifest: Manifest): Promise<void> {
  for (const report of await findReports(dir, globs)) {
    if (manifest[report.path] === undefined) await rm(join(dir, report.path), { force: true });
  }
}
