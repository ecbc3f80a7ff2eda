import type { RunnerClient } from "@bernstein/client";
import {
  BernsteinError,
  type ExecJob,
  type ExecResultInput,
  type Manifest,
  type Redactor,
  type RunnerJob,
  redactDeep,
  toBernsteinError,
} from "@bernstein/core";
import type { BlobCache } from "./blob-cache.js";
import { lastLines } from "./capped-log.js";
import type { PostedResult, RunnerEvent } from "./events.js";
import { runCommandJob } from "./exec-job.js";
import { isLeaseLost, startHeartbeat } from "./heartbeat.js";
import { reportResult } from "./report.js";
import { withRetries } from "./retry.js";
import { verifyTree } from "./verify/verify-tree.js";
import { openWorkspace, type SyncResult, type WarmWorkspace } from "./workspace/warm-workspace.js";

/** What every job of one runner shares. */
export interface JobContext {
  client: RunnerClient;
  cache: BlobCache;
  /** Where the warm workspaces live (one per repository and slot). */
  workspaceRoot: string;
  /** A local clone: a new workspace starts from `git archive` of the job's base commit. */
  repoRoot?: string | undefined;
  /** The environment commands get (the allowlist of `jobEnvironment`). */
  env: Readonly<Record<string, string>>;
  /** Redacts known secret values and secret shapes from everything the job reports. */
  redact: Redactor;
  maxLogBytes?: number | undefined;
  /** The runner is stopping: drop the job and kill its processes. */
  signal: AbortSignal;
  slot: number;
  emit(event: RunnerEvent): void;
}

/** The reason a job's signal carries when its lease went to another runner. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

/** The reason a job's signal carries when the runner stops. */
export class RunnerStoppingError extends Error {
  override readonly name = "RunnerStoppingError";
}

const TAIL_LINES = 50;

/**
 * Runs one claimed job to its end: heartbeats while it works, syncs the slot's warm workspace
 * to the job's tree, verifies it (setup, commands, signals, reports), uploads the log and posts
 * the result; an exec job runs the agent's command there instead (`runCommandJob`). A lost lease stops everything at once and
 * posts nothing; a stopping runner abandons the job (its lease expires for another runner).
 * Resolves when the job is settled; never rejects for the job's own failures.
 */
export async function runJob(job: RunnerJob, ctx: JobContext): Promise<void> {
  const { slot } = ctx;
  const started = Date.now();
  const lease = new AbortController();
  const signal = AbortSignal.any([lease.signal, ctx.signal]);
  const heartbeat = startHeartbeat({
    beat: (beatSignal) => ctx.client.heartbeat(job.id, beatSignal),
    intervalMs: Math.max(1_000, Math.floor((job.leaseSeconds * 1000) / 3)),
    onLost: (error) => lease.abort(new LeaseLostError(`the lease was lost: ${error.message}`)),
    onError: (error, retryInMs) => ctx.emit({ type: "retrying", slot, job, what: "heartbeat", error, retryInMs }),
  });
  let workspace: WarmWorkspace | undefined;
  try {
    const what = job.kind === "baseline" ? "baseline (integration tree)" : `task ${job.taskId}, attempt ${job.attempt}`;
    const header = `[runner] job ${job.id}: run ${job.runId}, ${what}\n`;
    let prepared: { manifest: Manifest; sync: SyncResult } | { error: BernsteinError };
    try {
      const manifest = await loadManifest(job, ctx, signal);
      workspace = await openWorkspace({ root: ctx.workspaceRoot, key: job.workspace, slot });
      if (workspace.resetReason)
        ctx.emit({
          type: "warning",
          slot,
          job,
          message: `workspace ${workspace.dir} starts over: ${workspace.resetReason}`,
        });
      const sync = await workspace.sync({
        manifest,
        manifestSha: job.manifest,
        cache: ctx.cache,
        baseCommit: job.baseCommit,
        repoRoot: ctx.repoRoot,
        signal,
      });
      prepared = { manifest, sync };
    } catch (error) {
      if (signal.aborted) return await settleAborted(job, ctx, lease.signal);
      prepared = { error: toBernsteinError(error) };
    }

    if (job.kind === "exec") {
      const result =
        "sync" in prepared && workspace
          ? await runCommandJob({
              job,
              manifest: prepared.manifest,
              workspace,
              cache: ctx.cache,
              env: ctx.env,
              redact: ctx.redact,
              signal,
              started,
            })
          : notRun("error" in prepared ? prepared.error : undefined, started);
      if (result === null) return await settleAborted(job, ctx, lease.signal);
      return await postCommandResult(job, ctx, result, lease.signal);
    }

    let log: string;
    let result: PostedResult;
    let failedCommand: string | null = null;
    if ("sync" in prepared && workspace) {
      const { sync } = prepared;
      ctx.emit({
        type: "materialised",
        slot,
        job,
        source: sync.source,
        dir: workspace.dir,
        files: sync.stats.files,
        written: sync.stats.written,
        kept: sync.stats.kept,
        deleted: sync.stats.deleted,
        downloaded: sync.stats.downloaded,
        durationMs: sync.durationMs,
        ...(sync.gitSkipped === undefined ? {} : { gitSkipped: sync.gitSkipped }),
      });
      const verified = await verifyTree({
        job,
        manifest: prepared.manifest,
        workspace,
        env: ctx.env,
        redact: ctx.redact,
        signal,
        ...(ctx.maxLogBytes === undefined ? {} : { maxLogBytes: ctx.maxLogBytes }),
      });
      if (verified.aborted || signal.aborted) return await settleAborted(job, ctx, lease.signal);
      const treeLine = `[runner] tree ${job.manifest.slice(0, 12)}: ${sync.stats.files} files in workspace ${workspace.index} (${describeSync(sync)})\n`;
      log = `${header}${treeLine}${verified.log}`;
      failedCommand = verified.failedCommand;
      result = { ...verified.result, tail: lastLines(verified.log, TAIL_LINES) };
    } else {
      const error = "error" in prepared ? prepared.error : new BernsteinError("internal", "no workspace");
      log = `${header}[runner] could not prepare the job's tree: ${error.code}: ${error.message}\n`;
      result = { passed: false, exitCode: null, timedOut: false, durationMs: 0, tail: lastLines(log, TAIL_LINES) };
      prepared = { error };
    }

    // Commands' output is redacted where it is read; this catches the rest (error messages, paths).
    log = ctx.redact(log);
    result = redactDeep(result, ctx.redact);
    const outcome = await reportResult(ctx.client, job.id, log, result, {
      signal: lease.signal,
      ...retryNotes(ctx, job, "report"),
    });
    if (outcome.kind === "lost") {
      ctx.emit({ type: "lost", slot, job, reason: outcome.reason });
      return;
    }
    ctx.emit({
      type: "finished",
      slot,
      job,
      result,
      failedCommand,
      ...("error" in prepared ? { error: prepared.error } : {}),
    });
  } finally {
    await heartbeat.stop();
    await workspace?.release().catch((error: unknown) =>
      ctx.emit({
        type: "warning",
        slot,
        job,
        message: `could not release the workspace ${workspace?.dir}: ${toBernsteinError(error).message}`,
      }),
    );
  }
}

/** An exec job whose tree could not be made: the command did not run, and the agent is told why. */
function notRun(failure: BernsteinError | undefined, started: number): ExecResultInput {
  const error = failure ?? new BernsteinError("internal", "no workspace");
  return {
    exitCode: null,
    durationMs: 0,
    runnerMs: Date.now() - started,
    output: "",
    outputBytes: 0,
    error: `the runner could not prepare the tree: ${error.code}: ${error.message}`.slice(0, 2_000),
  };
}

async function postCommandResult(
  job: ExecJob,
  ctx: JobContext,
  result: ExecResultInput,
  leaseSignal: AbortSignal,
): Promise<void> {
  try {
    await withRetries(() => ctx.client.postExecResult(job.id, result), {
      signal: leaseSignal,
      ...retryNotes(ctx, job, "report"),
    });
  } catch (error) {
    const failure = toBernsteinError(error);
    if (!isLeaseLost(failure)) throw error;
    ctx.emit({ type: "lost", slot: ctx.slot, job, reason: failure.message });
    return;
  }
  ctx.emit({ type: "command", slot: ctx.slot, job, result });
}

/** The job's manifest (the workspace checks it against its hash). */
async function loadManifest(job: RunnerJob, ctx: JobContext, signal: AbortSignal): Promise<Manifest> {
  const { manifest } = await withRetries(() => ctx.client.snapshot(job.manifest), {
    signal,
    ...retryNotes(ctx, job, "snapshot"),
  });
  return manifest;
}

async function settleAborted(job: RunnerJob, ctx: JobContext, leaseSignal: AbortSignal): Promise<void> {
  if (leaseSignal.aborted) {
    const reason = leaseSignal.reason instanceof Error ? leaseSignal.reason.message : "the lease was lost";
    ctx.emit({ type: "lost", slot: ctx.slot, job, reason });
    return;
  }
  // Hand the job back so another runner takes it now rather than when the lease runs out.
  try {
    await ctx.client.release(job.id);
  } catch (error) {
    const why = toBernsteinError(error).message;
    ctx.emit({
      type: "warning",
      slot: ctx.slot,
      job,
      message: `could not hand the job back (${why}); its lease will run out`,
    });
  }
  ctx.emit({ type: "abandoned", slot: ctx.slot, job });
}

function retryNotes(ctx: JobContext, job: RunnerJob, what: string) {
  return {
    onRetry: (error: BernsteinError, retryInMs: number) =>
      ctx.emit({ type: "retrying", slot: ctx.slot, job, what, error, retryInMs }),
  };
}

function describeSync(sync: SyncResult): string {
  const { written, kept, deleted, downloaded } = sync.stats;
  const from =
    sync.source === "warm"
      ? "warm"
      : sync.source === "git"
        ? "new, from git archive of the base commit"
        : "new, from blobs";
  const skipped = sync.gitSkipped ? `; no git seed: ${sync.gitSkipped}` : "";
  return `${from}: ${kept} kept, ${written} written (${downloaded} downloaded), ${deleted} removed${skipped}`;
}
