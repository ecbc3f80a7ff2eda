import type { BernsteinClient } from "@bernstein/client";
import { BernsteinError, type RunView } from "@bernstein/core";
import { loadBlobHashCache } from "../git/hash-cache.js";
import { type PullResult, pullRun } from "../git/pull.js";
import type { Output } from "../output/output.js";
import type { StatePaths } from "../stack/paths.js";
import { followRun } from "./follow-run.js";

export interface WaitOutcome {
  run: RunView;
  /** Set when the run completed and its result was written as a branch. */
  pulled?: PullResult;
  interrupted: boolean;
}

/** Follows a run to its end; a completed run's result is pulled as `bernstein/<run-id>`. */
export async function waitAndPull(
  client: BernsteinClient,
  run: RunView,
  context: { root: string; paths: StatePaths; out: Output; signal: AbortSignal },
): Promise<WaitOutcome> {
  const { out, signal } = context;
  const final = await followRun(client, run.id, out, signal);
  if (signal.aborted) {
    out.note(`The run goes on in the stack; follow it with \`bernstein cloud status ${run.id}\`.`);
    return { run: final, interrupted: true };
  }
  if (final.status !== "completed") return { run: final, interrupted: false };
  const pulled = await pullRun(client, {
    root: context.root,
    runId: run.id,
    cache: await loadBlobHashCache(context.paths.cacheDir),
  });
  out.note(
    `Wrote branch ${pulled.branch} (${pulled.commits.length} commit${pulled.commits.length === 1 ? "" : "s"}); see it with \`git log ${pulled.branch}\`.`,
  );
  return { run: final, pulled, interrupted: false };
}

/** The error of a run that ended without completing. */
export function runFailure(run: RunView): BernsteinError {
  const why = run.error ? `: ${run.error.code}: ${run.error.message}` : "";
  const failed = run.tasks.filter((task) => task.status !== "merged").length;
  return new BernsteinError(
    "run_failed",
    `run ${run.id} ended ${run.status}${why} (${failed} of ${run.tasks.length} tasks not merged)`,
    { details: { runId: run.id, status: run.status, fix: `See why with \`bernstein tasks ${run.id}\`.` } },
  );
}
