import type { AttemptDecision, AttemptSubmission } from "@bernstein/core";
import type { Ctx } from "../context.js";
import { enqueue } from "../queue/merge-queue.js";
import { noProgress, repeatsFailedPatch } from "./no-progress.js";
import { failAttempt } from "./outcomes.js";
import { isActive } from "./start.js";

/**
 * An attempt produced a tree that passed its completion signals: it joins the merge queue.
 * Idempotent: submitted before (a restarted workflow, which journals no submission), it gets
 * the latest decision about it, which the coordinator keeps until the attempt's report.
 */
export async function submitAttempt(c: Ctx, submission: AttemptSubmission): Promise<AttemptDecision> {
  const decided = c.tx.memoryView.decisions[submission.instanceId];
  if (decided) return decided;
  if (!isActive(c.state, submission.instanceId)) {
    return { kind: "failed", error: { code: "illegal_transition", message: "the attempt is no longer active" } };
  }
  const attempt = c.tx.patchAttempt(submission.instanceId, {
    turns: submission.turns,
    summary: submission.summary,
    resultManifest: submission.resultManifest,
    patchKey: submission.patchKey,
    patchSha256: submission.patchSha256,
  });
  c.tx.emit("attempt.finished", attempt.taskId, {
    instance: attempt.id,
    outcome: "submitted",
    files: submission.changedFiles.length,
  });
  if (repeatsFailedPatch(c, attempt.taskId, submission.patchSha256)) {
    const error = noProgress("the patch is the same as a failed attempt's");
    await failAttempt(c, attempt.id, error);
    const decision: AttemptDecision = { kind: "failed", error };
    c.tx.memory.decisions[attempt.id] = decision;
    return decision;
  }
  return enqueue(c, attempt);
}
