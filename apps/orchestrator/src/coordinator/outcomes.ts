import type { ArtifactStore } from "@bernstein/artifacts";
import type { Attempt, AttemptDecision, AttemptStatus, ErrorCode, ErrorJson } from "@bernstein/core";
import { isTerminalTaskStatus } from "@bernstein/core";
import { blockDependents } from "./lifecycle.js";
import type { QueueEntry } from "./memory.js";
import type { RunState } from "./run-state.js";
import type { Tx } from "./tx.js";

/** What the coordinator's decision helpers work with. */
export interface Ctx {
  tx: Tx;
  state: RunState;
  store: ArtifactStore;
}

/** Errors a new attempt cannot fix: the task fails at once instead of retrying. */
const FINAL_CODES: ReadonlySet<ErrorCode> = new Set([
  "model_auth",
  "provider_not_configured",
  "invalid_model",
  "budget_exhausted",
  "rejected",
  "no_progress",
]);
/** Merge conflicts a task may run into on top of its retries before it fails. */
const MAX_CONFLICTS = 3;
/** How much of a failed patch the next attempt sees. */
const FEEDBACK_PATCH_CHARS = 12_000;

/** Event type a waiting attempt listens for, by what it waits for. */
export function waitEvent(reason: "verify" | "approval" | "queue"): string {
  return reason === "approval" ? "approval" : "verify-result";
}

/**
 * Takes an attempt out of the merge queue and approvals, cancelling its verification job.
 * Returns its entry (whose `waitingFor` says how to reach the waiting workflow), if it had one.
 */
export function dequeue(c: Ctx, instanceId: string): QueueEntry | undefined {
  const { memory } = c.tx;
  const entry =
    memory.queue.find((e) => e.instanceId === instanceId) ??
    Object.values(memory.approvals).find((e) => e.instanceId === instanceId);
  if (entry?.jobId) c.tx.patchJob(entry.jobId, { status: "cancelled" });
  memory.queue = memory.queue.filter((e) => e.instanceId !== instanceId);
  for (const [taskId, e] of Object.entries(memory.approvals)) {
    if (e.instanceId === instanceId) delete memory.approvals[taskId];
  }
  return entry;
}

/** Tells a waiting attempt the decision (after the commit), under the event type it waits for. */
export function decide(c: Ctx, entry: QueueEntry, decision: AttemptDecision): void {
  c.tx.memory.decisions[entry.instanceId] = decision;
  c.tx.notify(entry.instanceId, entry.waitingFor, decision as unknown as Record<string, unknown>);
  if (decision.kind === "wait") entry.waitingFor = waitEvent(decision.reason);
}

export interface FailureOptions {
  status?: Extract<AttemptStatus, "failed" | "cancelled">;
  /** Feedback for the next attempt; default: the error (and `details`) and the failed patch. */
  feedback?: string;
  /** More about the failure for the default feedback (e.g. the tests that failed, the log's tail). */
  details?: string;
}

/**
 * Ends an attempt that failed (or was cancelled) and decides its task: a new attempt with the
 * failure as feedback while retries remain and progress is made, else `failed` (dependents
 * blocked). A patch identical to an earlier failed one, or the same failure twice, is
 * `no_progress`: the loop stops instead of paying for another attempt.
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
  const progress = progressOf(c, task.id);
  const signature = `${error.code}\n${error.message}`;
  const repeated = progress.failures.includes(signature);
  progress.failures.push(signature);
  const used = task.attempt - (tx.memory.retryBase[task.id] ?? 0);
  const final = FINAL_CODES.has(error.code) || repeated || used > c.state.run.maxRetries;
  if (final) {
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

/** The attempt's patch is one an earlier attempt of the task failed with: no progress. */
export function repeatsFailedPatch(c: Ctx, taskId: string, patchSha256: string): boolean {
  return c.tx.memory.progress[taskId]?.patches.includes(patchSha256) ?? false;
}

/** Remembers a failed attempt's patch, so the same patch again is caught as no progress. */
export function rememberFailedPatch(c: Ctx, taskId: string, patchSha256: string | null): void {
  if (!patchSha256) return;
  const progress = progressOf(c, taskId);
  if (!progress.patches.includes(patchSha256)) progress.patches.push(patchSha256);
}

function progressOf(c: Ctx, taskId: string): { patches: string[]; failures: string[] } {
  const existing = c.tx.memory.progress[taskId];
  if (existing) return existing;
  const created = { patches: [], failures: [] };
  c.tx.memory.progress[taskId] = created;
  return created;
}

export function noProgress(message: string): ErrorJson {
  return { code: "no_progress", message };
}

/** A merge conflict: a new attempt from the new integration tree, or failure after too many. */
export function conflictAttempt(c: Ctx, instanceId: string, files: string[]): void {
  const { tx } = c;
  const entry = dequeue(c, instanceId);
  if (entry) decide(c, entry, { kind: "conflict", files });
  const attempt = tx.patchAttempt(instanceId, { status: "conflicted", finishedAt: tx.now });
  tx.emit("merge.conflict", attempt.taskId, { instance: attempt.id, files });
  const task = tx.task(attempt.taskId);
  if (isTerminalTaskStatus(task.status)) return;
  const message = `merge conflict in ${files.join(", ")}`;
  const used = task.attempt - (tx.memory.retryBase[task.id] ?? 0);
  if (used >= c.state.run.maxRetries + 1 + MAX_CONFLICTS) {
    tx.setTaskStatus(task.id, "failed", { error: { code: "merge_conflict", message } });
    blockDependents(tx, c.state, task.id);
    return;
  }
  tx.setFeedback(
    task.id,
    [
      "Your previous attempt could not be merged: other tasks changed the same lines meanwhile in",
      files.map((f) => `- ${f}`).join("\n"),
      "This attempt starts from the current integration tree, which contains their changes. Redo your change on top of it.",
    ].join("\n"),
  );
  tx.setTaskStatus(task.id, "open", {}, { reason: "merge_conflict" });
}

async function failureFeedback(c: Ctx, attempt: Attempt, error: ErrorJson, details?: string): Promise<string> {
  const parts = [`Your previous attempt failed (${error.code}): ${error.message}`];
  if (details) parts.push(details);
  if (attempt.patchKey) {
    const patch = await c.store.getText(attempt.patchKey);
    if (patch) {
      const shown = patch.length > FEEDBACK_PATCH_CHARS ? `${patch.slice(0, FEEDBACK_PATCH_CHARS)}\n… (cut)` : patch;
      parts.push("Its patch was:", shown);
    }
  }
  parts.push("This attempt starts again from the current integration tree, not from those files. Avoid that failure.");
  return parts.join("\n\n");
}
