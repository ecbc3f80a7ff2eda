import type { BernsteinClient } from "@bernstein/client";
import { BernsteinError, describeVerification, type RunView } from "@bernstein/core";
import { loadBlobHashCache } from "../git/hash-cache.js";
import { type PullResult, pullRun } from "../git/pull.js";
import type { Output } from "../output/output.js";
import type { StatePaths } from "../stack/paths.js";
import { followRun } from "./follow-run.js";

export interface WaitOutcome {
  run: RunView;
  /** Set when the run completed and its result was written as a branch. */
  pulled?: PullResult;
  /** Ctrl-C stopped the following. */
  interrupted: boolean;
  /** The user stopped following (`q` in the monitor, or Ctrl-C); the run goes on. */
  left?: boolean;
}

/** How `--wait` follows a run: progress lines, or the live monitor on a terminal. */
export type Follow = (runId: string) => Promise<{ run: RunView; left: false | "quit" | "interrupted" }>;

/** Follows a run to its end; a completed run's result is pulled as `bernstein/<run-id>`. */
export async function waitAndPull(
  client: BernsteinClient,
  run: RunView,
  context: { root: string; paths: StatePaths; out: Output; signal: AbortSignal; follow?: Follow },
): Promise<WaitOutcome> {
  const { out, signal } = context;
  const follow: Follow =
    context.follow ??
    (async (runId) => {
      const final = await followRun(client, runId, out, signal);
      return { run: final, left: signal.aborted ? "interrupted" : false };
    });
  const { run: final, left } = await follow(run.id);
  if (left) {
    out.note(`The run goes on in the stack; follow it with \`bernstein cloud status ${run.id}\`.`);
    return { run: final, interrupted: left === "interrupted", left: true };
  }
  if (final.verification) out.note(`Verification: ${describeVerification(final.verification)}`);
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
