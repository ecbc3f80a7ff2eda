import type { AttemptDecision, AttemptSubmission } from "@bernstein/core";
import type { Ctx } from "../context.js";
import { enqueue } from "../queue/merge-queue.js";
import { noProgress, repeatsFailedPatch } from "./no-progress.js";
import { failAttempt } from "./outcomes.js";
import { isActive } from "./start.js";

/** An attempt produced a tree that passed its completion signals: it joins the merge queue. */
export async function submitAttempt(c: Ctx, submission: AttemptSubmission): Promise<AttemptDecision> {
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
    return { kind: "failed", error };
  }
  return enqueue(c, attempt);
}
