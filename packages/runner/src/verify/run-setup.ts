import type { Manifest, Redactor, SetupFailure } from "@bernstein/core";
import { type CappedLog, lastLines } from "../capped-log.js";
import { execCommands } from "../exec-commands.js";
import { setupFingerprint, type WarmWorkspace } from "../workspace/warm-workspace.js";

export interface SetupOptions {
  setup: readonly string[];
  setupInputs: readonly string[] | null;
  /** The tree the workspace was synced to. */
  manifest: Manifest;
  workspace: WarmWorkspace;
  env: Readonly<Record<string, string>>;
  /** Applied to the setup's output before it is logged or quoted in a failure. */
  redact: Redactor;
  deadline: number;
  signal: AbortSignal;
  maxLogBytes: number;
  /** The job's log: the setup's output goes here. */
  log: CappedLog;
}

export interface SetupOutcome {
  /** Null when the job has no setup. */
  setup: { ran: boolean; durationMs: number } | null;
  aborted: boolean;
  failure: SetupFailure | null;
  /** The setup command that failed or was stopped. */
  failedCommand: string | null;
}

/** Lines of a command's output kept in a setup failure's message. */
export const FAILURE_LINES = 15;

/**
 * `verify.setup` in the workspace, only when its fingerprint (commands and input files) changed
 * since the last setup that passed there. Verification and the agents' commands share it.
 */
export async function runSetup(options: SetupOptions): Promise<SetupOutcome> {
  const { setup: commands, workspace, log } = options;
  if (commands.length === 0) return { setup: null, aborted: false, failure: null, failedCommand: null };
  const fingerprint = setupFingerprint(commands, options.manifest, options.setupInputs);
  const started = Date.now();
  if (workspace.setupIsCurrent(fingerprint)) {
    log.write("[runner] setup skipped: its commands and inputs are unchanged since the last setup in this workspace\n");
    return {
      setup: { ran: false, durationMs: Date.now() - started },
      aborted: false,
      failure: null,
      failedCommand: null,
    };
  }
  const exec = await execCommands({
    commands,
    cwd: workspace.dir,
    env: options.env,
    timeoutMs: Math.max(1, options.deadline - Date.now()),
    signal: options.signal,
    maxLogBytes: options.maxLogBytes,
  });
  const output = options.redact(exec.log);
  log.write(output);
  const setup = { ran: true, durationMs: Date.now() - started };
  if (exec.aborted) return { setup, aborted: true, failure: null, failedCommand: exec.failedCommand };
  if (!exec.passed) {
    await workspace.recordSetup(null);
    const command = exec.failedCommand ?? commands[0] ?? "";
    const failure: SetupFailure = {
      phase: "setup",
      command,
      exitCode: exec.exitCode,
      timedOut: exec.timedOut,
      message: lastLines(output, FAILURE_LINES),
    };
    return { setup, aborted: false, failure, failedCommand: command };
  }
  await workspace.recordSetup(fingerprint);
  return { setup, aborted: false, failure: null, failedCommand: null };
}
