import { type AttemptReport, type AttemptStatus, type ErrorJson, isTerminalTaskStatus } from "@bernstein/core";
import type { Ctx } from "../context.js";
import { blockDependents } from "../lifecycle.js";
import { decide, dequeue } from "../queue/decisions.js";
import { failureFeedback } from "./feedback.js";
import { noProgress, rememberFailedPatch, repeatsFailure } from "./no-progress.js";
import { attemptsUsed, FINAL_CODES } from "./retries.js";

export interface FailureOptions {
  status?: Extract<AttemptStatus, "failed" | "cancelled">;
  /** Feedback for the next attempt; default: the error (and `details`) and the failed patch. */
  feedback?: string;
  /** More about the failure for the default feedback (e.g. the tests that failed, the log's tail). */
  details?: string;
}

/** An attempt's workflow ended: what it leaves behind is forgotten, a failure decides its task. */
export async function finishAttempt(c: Ctx, report: AttemptReport): Promise<void> {
  const { memory } = c.tx;
  delete memory.decisions[report.instanceId];
  delete memory.boots[report.instanceId];
  for (const key of Object.keys(memory.reservations)) {
    if (key.startsWith(`${report.instanceId}/`)) delete memory.reservations[key];
  }
  memory.parked = memory.parked.filter((id) => id !== report.instanceId);
  if (report.outcome === "succeeded") return; // recorded when it merged
  const attempt = c.tx.attempt(report.instanceId);
  if (attempt?.status === "running" && report.patchSha256 && !attempt.patchSha256) {
    // A tree that failed its completion signals: keep its patch for feedback and no-progress checks.
    c.tx.patchAttempt(attempt.id, {
      patchKey: report.patchKey,
      patchSha256: report.patchSha256,
      resultManifest: report.resultManifest,
    });
  }
  const error = report.error ?? { code: "internal", message: "the attempt ended without a result" };
  await failAttempt(c, report.instanceId, error, { status: report.outcome });
}

/**
 * Ends an attempt that failed (or was cancelled) and decides its task: a new attempt with the
 * failure as feedback while retries remain and progress is made, else `failed` (dependents
 * blocked). A patch identical to an earlier failed one, or the same failure twice, is
 * `no_progress`.
 */
export async function failAttempt(
  c: Ctx,
  instanceId: string,
  error: ErrorJson,
  options: FailureOptions = {},
): Promise<void> {
  const { tx } = c;
  const status = options.status ?? "failed";
  const entry = dequeue(c, instanceId);
  if (entry) decide(c, entry, { kind: "failed", error });
  const before = tx.attempt(instanceId);
  if (before?.status !== "running") return;
  const attempt = tx.patchAttempt(instanceId, { status, error, finishedAt: tx.now });
  tx.emit("attempt.finished", attempt.taskId, { instance: attempt.id, outcome: status, error });
  const task = tx.task(attempt.taskId);
  if (isTerminalTaskStatus(task.status) || task.attempt !== attempt.n) return;
  if (status === "cancelled") {
    tx.setTaskStatus(task.id, "cancelled", { error });
    blockDependents(tx, c.state, task.id);
    return;
  }
  rememberFailedPatch(c, task.id, attempt.patchSha256);
  const repeated = repeatsFailure(c, task.id, error);
  if (FINAL_CODES.has(error.code) || repeated || attemptsUsed(c, task) > c.state.run.maxRetries) {
    const why = repeated ? noProgress(`the same failure happened twice: ${error.code}`) : error;
    tx.setTaskStatus(task.id, "failed", { error: why });
    blockDependents(tx, c.state, task.id);
    return;
  }
  tx.setFeedback(task.id, options.feedback ?? (await failureFeedback(c, attempt, error, options.details)));
  tx.setTaskStatus(task.id, "open", {}, { reason: error.code });
}

/**
 * Ends an attempt whose tree could not be verified at all (a setup failure on the integration
 * tree too, or a verify command not found): no new attempt can help, so the task is `blocked`
 * with the reason (its dependents too) until the user fixes the setup and retries it.
 */
export async function blockAttempt(c: Ctx, instanceId: string, error: ErrorJson): Promise<void> {
  const { tx } = c;
  const entry = dequeue(c, instanceId);
  if (entry) decide(c, entry, { kind: "failed", error });
  const before = tx.attempt(instanceId);
  if (before?.status !== "running") return;
  const attempt = tx.patchAttempt(instanceId, { status: "failed", error, finishedAt: tx.now });
  tx.emit("attempt.finished", attempt.taskId, { instance: attempt.id, outcome: "failed", error });
  const task = tx.task(attempt.taskId);
  if (isTerminalTaskStatus(task.status) || task.attempt !== attempt.n) return;
  tx.setTaskStatus(task.id, "blocked", { error }, { reason: error.code });
  blockDependents(tx, c.state, task.id);
}
