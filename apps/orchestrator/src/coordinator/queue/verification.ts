import { keys } from "@bernstein/artifacts";
import {
  type Attempt,
  compareTrees,
  describeFailure,
  describeSetupFailure,
  type Job,
  JobResultRequest,
  type JobVerifySpec,
  judgeCandidate,
  type RunVerification,
  type Task,
  testCommandsOf,
} from "@bernstein/core";
import { blockAttempt, failAttempt } from "../attempts/outcomes.js";
import type { Ctx } from "../context.js";
import type { LoadedRun } from "../loaded-run.js";
import type { QueueEntry } from "../memory.js";
import { queueJob } from "../runner-jobs.js";

/** Seconds a verification may take. */
export const VERIFY_TIMEOUT_SECONDS = 600;

/**
 * Verification against the integration tree. The head of the merge queue is verified as a
 * *candidate* (the integration tree with its changes) and judged by the regression rule
 * (`judgeCandidate` in core) against the *baseline* of the tree it was built on: the same
 * checks run on that integration tree. A tree's checks are computed once and kept by its hash
 * (`memory.trees`): a baseline job runs for a tree no job has checked yet, concurrently with
 * the candidate that needs it, and a merged candidate's own result is the baseline of the tree
 * it becomes. Results live in R2; the coordinator's memory holds their keys.
 */

/** Whether an attempt of this task is verified by a runner: the run has verify commands, or the task has `test_passes` signals. */
export function needsVerification(c: Ctx, task: Task): boolean {
  return c.tx.run.verifyCommands.length > 0 || testCommandsOf(task.completionSignals).length > 0;
}

/** Starts the candidate job of the queue's head for `manifest`, built on the current integration tree. */
export function startCandidate(c: Ctx, entry: QueueEntry, attempt: Attempt, manifest: string): void {
  const { tx } = c;
  const task = tx.task(attempt.taskId);
  const id = `j_${attempt.id}_${tx.now.replace(/\D/g, "")}_${tx.memory.queue.length}`;
  insertJob(c, {
    id,
    kind: "candidate",
    taskId: attempt.taskId,
    attemptId: attempt.id,
    attempt: attempt.n,
    manifest,
    signals: testCommandsOf(task.completionSignals),
    logKey: keys.attempt(tx.run.id, attempt.taskId, attempt.n, "verify.log"),
  });
  tx.emit("log", attempt.taskId, { kind: "verify.queued", job: id, instance: attempt.id });
  entry.jobId = id;
  entry.check = { manifest, base: tx.run.integrationManifest, resultKey: null };
  entry.verified = null;
  ensureBaseline(c, tx.run.integrationManifest);
}

/** Starts the baseline job of an integration tree, unless its checks are known or on the way (or there are none to run). */
export function ensureBaseline(c: Ctx, manifest: string): void {
  const { tx } = c;
  if (tx.run.verifyCommands.length === 0 || tx.memory.trees[manifest]) return;
  const id = `j_base_${manifest.slice(0, 16)}_${tx.now.replace(/\D/g, "")}`;
  insertJob(c, {
    id,
    kind: "baseline",
    taskId: null,
    attemptId: null,
    attempt: null,
    manifest,
    signals: [],
    logKey: keys.baseline(tx.run.id, manifest, "verify.log"),
  });
  tx.memory.trees[manifest] = { jobId: id, resultKey: null };
  tx.emit("log", null, {
    kind: "baseline.queued",
    job: id,
    manifest,
    message: "checking the integration tree (baseline)",
  });
}

/**
 * A runner's result: stored in R2, then recorded for the tree (a baseline) or the head's entry
 * (its candidate), and the head judged if it can be. A result for a job nobody waits for any
 * more (its attempt left the queue) changes nothing.
 */
export async function recordResult(c: Ctx, job: Job, posted: JobResultRequest): Promise<void> {
  const { tx } = c;
  if (job.kind === "baseline") {
    const tree = tx.memory.trees[job.manifest];
    if (tree?.jobId !== job.id) return;
    const key = keys.baseline(tx.run.id, job.manifest, "verify.json");
    await storeResult(c, key, posted);
    tx.memory.trees[job.manifest] = { jobId: null, resultKey: key };
    const failed = posted.checks.filter((check) => check.status === "failed").length;
    tx.emit("log", null, {
      kind: "baseline",
      job: job.id,
      manifest: job.manifest,
      passed: posted.checks.length - failed,
      failed,
      message: posted.setupFailure
        ? `baseline: ${describeSetupFailure(posted.setupFailure)}`
        : `baseline: ${posted.checks.length - failed} checks pass and ${failed} fail on the integration tree`,
    });
    return;
  }
  const entry = tx.memory.queue[0];
  if (!entry || entry.jobId !== job.id || !entry.check || !job.taskId || job.attempt === null) return;
  const key = keys.attempt(tx.run.id, job.taskId, job.attempt, "verify.json");
  await storeResult(c, key, posted);
  entry.jobId = null;
  entry.check.resultKey = key;
}

/**
 * Judges the head's candidate once its result is in: `wait` while the baseline it needs is still
 * running, `done` once decided (verified: `entry.verified`; else the attempt failed, or was
 * blocked by a setup failure, and left the queue).
 */
export async function judgeHead(c: Ctx, entry: QueueEntry): Promise<"wait" | "done"> {
  const { tx } = c;
  const check = entry.check;
  if (!check?.resultKey) return "wait";
  const candidate = await loadResult(c, check.resultKey);
  const baseKey = tx.memory.trees[check.base]?.resultKey ?? null;
  const base = baseKey ? await loadResult(c, baseKey) : null;
  const judged = judgeCandidate(candidate, base);
  if (judged.kind === "needs_base") {
    ensureBaseline(c, check.base);
    return "wait";
  }
  const attempt = tx.attempt(entry.instanceId);
  tx.emit("log", entry.taskId, {
    kind: "verify",
    instance: entry.instanceId,
    passed: judged.kind === "passed",
    exitCode: candidate.exitCode,
    timedOut: candidate.timedOut,
    ...(judged.kind === "failed"
      ? { regressions: judged.regressions.length, failedSignals: judged.failedSignals.length }
      : {}),
  });
  if (judged.kind === "passed") {
    entry.verified = check.manifest;
    entry.verifiedKey = check.resultKey;
    entry.check = null;
    return "done";
  }
  entry.check = null;
  if (!attempt) return "done";
  if (judged.kind === "setup_failed") {
    // Not kept: after the user fixes the runner and retries, the integration tree is checked again.
    delete tx.memory.trees[check.base];
    await blockAttempt(c, attempt.id, { code: "verify_setup", message: describeSetupFailure(judged.failure) });
    return "done";
  }
  const { message, feedback } = describeFailure({ ...judged, commands: candidate.commands, tail: candidate.tail });
  await failAttempt(c, attempt.id, { code: "verify_failed", message }, { details: feedback });
  return "done";
}

/** A merged candidate's result is the checks of the tree it became: the next candidates' baseline. */
export function rememberMergedTree(c: Ctx, entry: QueueEntry, manifest: string): void {
  if (entry.verifiedKey && !c.tx.memory.trees[manifest]) {
    c.tx.memory.trees[manifest] = { jobId: null, resultKey: entry.verifiedKey };
  }
}

/** True while the base snapshot's baseline is running: the run's verdict waits for it. */
export function verdictPending(c: Ctx): boolean {
  return Boolean(c.tx.memory.trees[c.tx.run.baseSnapshot]?.jobId);
}

/**
 * The run's verdict: the result tree's checks against the base snapshot's, or null without
 * verify commands or when either tree could not be checked (a setup failure, no result).
 */
export async function runVerdict(c: Ctx): Promise<RunVerification | null> {
  const { tx } = c;
  if (tx.run.verifyCommands.length === 0) return null;
  const baseKey = tx.memory.trees[tx.run.baseSnapshot]?.resultKey;
  const resultKey = tx.memory.trees[tx.run.integrationManifest]?.resultKey;
  if (!baseKey || !resultKey) return null;
  const [base, result] = await Promise.all([loadResult(c, baseKey), loadResult(c, resultKey)]);
  if (base.setupFailure || result.setupFailure) return null;
  return compareTrees(base, result);
}

function insertJob(
  c: Ctx,
  job: Pick<Job, "id" | "kind" | "taskId" | "attemptId" | "attempt" | "manifest" | "logKey"> & { signals: string[] },
): void {
  const { signals, ...spec } = job;
  const run = c.tx.run;
  const verify: JobVerifySpec = {
    setup: run.verifySetup,
    setupInputs: run.verifySetupInputs,
    reports: run.verifyReports,
    signals,
    workspace: run.repository ?? run.id,
  };
  queueJob(c.tx, { ...spec, commands: run.verifyCommands, verify, timeoutSeconds: VERIFY_TIMEOUT_SECONDS });
}

// Parsed results by R2 key, per run state (a key's content never changes once written); the
// few most recent, since a large suite's result can be megabytes.
const results = new WeakMap<LoadedRun, Map<string, JobResultRequest>>();
const RESULTS_KEPT = 8;

async function storeResult(c: Ctx, key: string, result: JobResultRequest): Promise<void> {
  await c.store.putJson(key, result);
  remember(cacheOf(c.state), key, result);
}

function remember(cache: Map<string, JobResultRequest>, key: string, result: JobResultRequest): void {
  cache.set(key, result);
  if (cache.size > RESULTS_KEPT) cache.delete(cache.keys().next().value as string);
}

async function loadResult(c: Ctx, key: string): Promise<JobResultRequest> {
  const cache = cacheOf(c.state);
  const known = cache.get(key);
  if (known) return known;
  const parsed = JobResultRequest.parse(await c.store.getJson(key));
  remember(cache, key, parsed);
  return parsed;
}

function cacheOf(state: LoadedRun): Map<string, JobResultRequest> {
  let cache = results.get(state);
  if (!cache) {
    cache = new Map();
    results.set(state, cache);
  }
  return cache;
}
