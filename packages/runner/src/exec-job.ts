import type { ExecJob, ExecResultInput, Manifest, Redactor } from "@bernstein/core";
import type { BlobCache } from "./blob-cache.js";
import { createCappedLog } from "./capped-log.js";
import { execCommands } from "./exec-commands.js";
import { runSetup } from "./verify/run-setup.js";
import type { WarmWorkspace } from "./workspace/warm-workspace.js";

export interface CommandJobOptions {
  job: ExecJob;
  /** The job's tree, which the workspace was just synced to. */
  manifest: Manifest;
  workspace: WarmWorkspace;
  cache: BlobCache;
  env: Readonly<Record<string, string>>;
  /** Applied to everything the agent will see. */
  redact: Redactor;
  signal: AbortSignal;
  /** When the job began (its runner time counts from here). */
  started: number;
}

/**
 * An agent's command in the synced warm workspace: `verify.setup` when its inputs changed (as
 * for verification), then the command in its own process group, killed at its timeout, with
 * its output capped at the job's `maxOutputBytes` (head and tail). Afterwards the workspace is
 * synced back to the job's tree, so the command's changes to tracked files are discarded: the
 * agent changes files only with its file tools. Null when the signal stopped it (report nothing).
 */
export async function runCommandJob(options: CommandJobOptions): Promise<ExecResultInput | null> {
  const { job, workspace, signal } = options;
  const deadline = Date.now() + job.timeoutSeconds * 1000;
  const setupLog = createCappedLog(job.maxOutputBytes);
  const prepared = await runSetup({
    setup: job.setup,
    setupInputs: job.setupInputs,
    manifest: options.manifest,
    workspace,
    env: options.env,
    redact: options.redact,
    deadline,
    signal,
    maxLogBytes: job.maxOutputBytes,
    log: setupLog,
  });
  if (prepared.aborted || signal.aborted) return null;
  const common = { runnerMs: 0, durationMs: 0 };
  if (prepared.failure) {
    const output = setupLog.text();
    return { ...common, exitCode: null, output, outputBytes: setupLog.totalBytes, setupFailure: prepared.failure };
  }
  // The command's own limit starts after setup: setup is the runner's business, not the agent's.
  const exec = await execCommands({
    commands: [job.command],
    cwd: workspace.dir,
    env: options.env,
    timeoutMs: job.timeoutSeconds * 1000,
    signal,
    maxLogBytes: job.maxOutputBytes,
  });
  if (exec.aborted || signal.aborted) return null;
  const undo = await workspace.sync({
    manifest: options.manifest,
    manifestSha: job.manifest,
    cache: options.cache,
    signal,
  });
  return {
    exitCode: exec.exitCode,
    timedOut: exec.timedOut,
    durationMs: exec.durationMs,
    runnerMs: Date.now() - options.started,
    output: options.redact(exec.log),
    outputBytes: exec.outputBytes,
    cutBytes: Math.max(0, exec.outputBytes - job.maxOutputBytes),
    discardedCount: undo.stats.written + undo.stats.deleted,
  };
}
