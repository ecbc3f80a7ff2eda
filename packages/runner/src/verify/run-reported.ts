import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CommandRun, Redactor } from "@bernstein/core";
import { execCommands } from "../exec-commands.js";
import { findReports, type ReportFile, writtenSince } from "../reports/find-reports.js";
import { parseJUnit } from "../reports/junit.js";
import { createTapReader } from "../reports/tap-reader.js";
import { clipMessage, type TestCase } from "../reports/test-case.js";

export interface ReportedRunOptions {
  command: string;
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** The job's deadline (`Date.now()` clock) shared by every command. */
  deadline: number;
  signal: AbortSignal;
  /** Globs of the JUnit XML reports commands write. */
  reports: readonly string[];
  maxLogBytes?: number;
  /** Applied to the output and to the test cases read, before anything is cut to its limit. */
  redact: Redactor;
}

export interface ReportedRun {
  run: CommandRun;
  /** Test cases from TAP on stdout and from the reports this command wrote. */
  cases: TestCase[];
  /** Report files it wrote (repo-relative). */
  reportFiles: string[];
  /** Malformed reports, by file. */
  warnings: string[];
  log: string;
  aborted: boolean;
}

/** Runs one command, reading TAP off its stdout and the JUnit reports it writes. */
export async function runReported(options: ReportedRunOptions): Promise<ReportedRun> {
  const { command, cwd } = options;
  const remaining = options.deadline - Date.now();
  if (remaining <= 0) {
    return {
      run: { command, exitCode: null, timedOut: false, durationMs: 0, tests: 0 },
      cases: [],
      reportFiles: [],
      warnings: [],
      log: `$ ${command}\n[runner] not run: the job's time limit was reached\n`,
      aborted: false,
    };
  }
  const before = await findReports(cwd, options.reports);
  const tap = createTapReader();
  const exec = await execCommands({
    commands: [command],
    cwd,
    env: options.env,
    timeoutMs: remaining,
    signal: options.signal,
    onStdout: (chunk) => tap.write(chunk),
    ...(options.maxLogBytes === undefined ? {} : { maxLogBytes: options.maxLogBytes }),
  });
  const cases: TestCase[] = [];
  for (const found of await tap.end()) cases.push(redactCase(found, options.redact));
  const warnings: string[] = [];
  const written = writtenSince(before, await findReports(cwd, options.reports));
  for (const report of written) {
    const read = await readReport(cwd, report);
    if (read.ok) for (const found of read.cases) cases.push(redactCase(found, options.redact));
    else
      warnings.push(`report ${report.path} of \`${command}\` is not valid JUnit XML (${read.error}); it was skipped`);
  }
  return {
    run: {
      command,
      exitCode: exec.exitCode,
      timedOut: exec.timedOut,
      durationMs: exec.durationMs,
      tests: cases.length,
    },
    cases,
    reportFiles: written.map((r) => r.path),
    warnings,
    log: options.redact(exec.log),
    aborted: exec.aborted,
  };
}

/** A test's name and message may quote what the test printed: redacted, then cut again. */
function redactCase(found: TestCase, redact: Redactor): TestCase {
  const message = clipMessage(found.message === undefined ? undefined : redact(found.message));
  const { message: _raw, ...rest } = found;
  return { ...rest, name: redact(found.name), ...(message === undefined ? {} : { message }) };
}

async function readReport(cwd: string, report: ReportFile) {
  const text = await readFile(join(cwd, report.path), "utf8");
  if (report.path.endsWith(".tap")) {
    const tap = createTapReader();
    tap.write(Buffer.from(text));
    return { ok: true as const, cases: (await tap.end()).map((c) => ({ ...c, source: report.path })) };
  }
  return parseJUnit(text, report.path);
}
