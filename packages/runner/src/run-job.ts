import type { RunnerClient } from "@bernstein/client";
import { type BernsteinError, toBernsteinError, type VerifyJob } from "@bernstein/core";
import type { BlobCache } from "./blob-cache.js";
import { lastLines } from "./capped-log.js";
import type { PostedResult, RunnerEvent } from "./events.js";
import { type ExecResult, execCommands } from "./exec-commands.js";
import { startHeartbeat } from "./heartbeat.js";
import { jobEnvironment } from "./job-env.js";
import { type JobTree, materialise } from "./materialise.js";
import { reportResult } from "./report.js";
import { withRetries } from "./retry.js";

/** What every job of one runner shares. */
export interface JobContext {
  client: RunnerClient;
  cache: BlobCache;
  workRoot: string;
  repoRoot?: string | undefined;
  /** The runner's environment (secrets are removed before a command sees it). */
  env: Readonly<Record<string, string | undefined>>;
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
 * Runs one claimed job to its end: heartbeats while it works, materialises the tree, runs the
 * commands, uploads the log and posts the result. A lost lease stops everything at once and
 * posts nothing; a stopping runner abandons the job (its lease expires for another runner).
 * Resolves when the job is settled; never rejects for the job's own failures.
 */
export async function runJob(job: VerifyJob, ctx: JobContext): Promise<void> {
  const { slot } = ctx;
  const lease = new AbortController();
  const signal = AbortSignal.any([lease.signal, ctx.signal]);
  const heartbeat = startHeartbeat({
    beat: (beatSignal) => ctx.client.heartbeat(job.id, beatSignal),
    intervalMs: Math.max(1_000, Math.floor((job.leaseSeconds * 1000) / 3)),
    onLost: (error) => lease.abort(new LeaseLostError(`the lease was lost: ${error.message}`)),
    onError: (error, retryInMs) => ctx.emit({ type: "retrying", slot, job, what: "heartbeat", error, retryInMs }),
  });
  let tree: JobTree | undefined;
  try {
    const header = `[runner] job ${job.id}: run ${job.runId}, task ${job.taskId}, attempt ${job.attempt}\n`;
    let prepared: { tree: JobTree } | { error: BernsteinError };
    try {
      tree = await materialise({
        manifest: job.manifest,
        baseCommit: job.baseCommit,
        loadManifest: async (sha) =>
          (await withRetries(() => ctx.client.snapshot(sha), { signal, ...retryNotes(ctx, job, "snapshot") })).manifest,
        cache: ctx.cache,
        workRoot: ctx.workRoot,
        repoRoot: ctx.repoRoot,
        signal,
      });
      prepared = { tree };
    } catch (error) {
      if (signal.aborted) return await settleAborted(job, ctx, lease.signal);
      prepared = { error: toBernsteinError(error) };
    }

    let log: string;
    let result: PostedResult;
    let failedCommand: string | null = null;
    if ("tree" in prepared) {
      const { tree: made } = prepared;
      ctx.emit({
        type: "materialised",
        slot,
        job,
        source: made.source,
        files: made.stats.files,
        written: made.stats.written,
        kept: made.stats.kept,
        downloaded: made.stats.downloaded,
        durationMs: made.durationMs,
        ...(made.gitSkipped === undefined ? {} : { gitSkipped: made.gitSkipped }),
      });
      const exec: ExecResult = await execCommands({
        commands: job.commands,
        cwd: made.dir,
        env: jobEnvironment(ctx.env),
        timeoutMs: job.timeoutSeconds * 1000,
        signal,
        ...(ctx.maxLogBytes === undefined ? {} : { maxLogBytes: ctx.maxLogBytes }),
      });
      if (exec.aborted || signal.aborted) return await settleAborted(job, ctx, lease.signal);
      const treeLine = `[runner] tree ${job.manifest.slice(0, 12)}: ${made.stats.files} files (${describeSource(made)})\n`;
      log = `${header}${treeLine}${exec.log}`;
      failedCommand = exec.failedCommand;
      result = {
        passed: exec.passed,
        exitCode: exec.exitCode,
        timedOut: exec.timedOut,
        durationMs: exec.durationMs,
        tail: lastLines(exec.log, TAIL_LINES),
      };
    } else {
      const { error } = prepared;
      log = `${header}[runner] could not prepare the job's tree: ${error.code}: ${error.message}\n`;
      result = { passed: false, exitCode: null, timedOut: false, durationMs: 0, tail: lastLines(log, TAIL_LINES) };
    }

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
    if (tree) {
      await tree.cleanup().catch((error: unknown) =>
        ctx.emit({
          type: "warning",
          slot,
          job,
          message: `could not remove the job's directory ${tree?.dir}: ${toBernsteinError(error).message}`,
        }),
      );
    }
  }
}

async function settleAborted(job: VerifyJob, ctx: JobContext, leaseSignal: AbortSignal): Promise<void> {
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

function retryNotes(ctx: JobContext, job: VerifyJob, what: string) {
  return {
    onRetry: (error: BernsteinError, retryInMs: number) =>
      ctx.emit({ type: "retrying", slot: ctx.slot, job, what, error, retryInMs }),
  };
}

function describeSource(tree: JobTree): string {
  const { written, kept, deleted } = tree.stats;
  if (tree.source === "git")
    return `git worktree of the base commit, ${kept} kept, ${written} written, ${deleted} removed`;
  return `${written} written from blobs${tree.gitSkipped ? `; no git checkout: ${tree.gitSkipped}` : ""}`;
}
