import { blobTextReader, blobTextWriter, mergeTrees } from "@bernstein/artifacts";
import {
  type Attempt,
  type AttemptDecision,
  decisionEvent,
  type Job,
  type JobResultRequest,
  WaitReason,
} from "@bernstein/core";
import { conflictAttempt } from "../attempts/conflicts.js";
import type { Ctx } from "../context.js";
import { writeIntegration } from "../integration.js";
import type { QueueEntry } from "../memory.js";
import { decide } from "./decisions.js";
import { judgeHead, needsVerification, recordResult, rememberMergedTree, startCandidate } from "./verification.js";

/**
 * Works the merge queue from its head until the head must wait (its verification in flight, or
 * the baseline its judgement needs) or the queue is empty. In merge order: the head's candidate
 * (its changes merged three-way onto the current integration tree) is verified and judged
 * against that tree's baseline (see `verification.ts`), then merged, so the integration tree
 * only ever holds trees that passed. A conflict sends the task back; an approval-required task
 * steps out until approved.
 */
export async function advanceQueue(c: Ctx): Promise<void> {
  const { tx } = c;
  for (;;) {
    const entry = tx.memory.queue[0];
    if (!entry || entry.jobId) return;
    if (entry.check) {
      if ((await judgeHead(c, entry)) === "wait") return;
      continue;
    }
    const attempt = tx.attempt(entry.instanceId);
    if (attempt?.status !== "running" || !attempt.resultManifest) {
      tx.memory.queue.shift();
      continue;
    }
    const candidate = await candidateTree(c, attempt, attempt.resultManifest);
    if ("conflicts" in candidate) {
      conflictAttempt(c, attempt.id, candidate.conflicts);
      continue;
    }
    const task = tx.task(attempt.taskId);
    if (needsVerification(c, task) && entry.verified !== candidate.manifest) {
      startCandidate(c, entry, attempt, candidate.manifest);
      return;
    }
    if (task.approvalRequired && !entry.approved) {
      tx.memory.queue.shift();
      tx.memory.approvals[task.id] = { ...entry, verified: candidate.manifest };
      tx.setTaskStatus(task.id, "pending_approval");
      decide(c, tx.memory.approvals[task.id] as QueueEntry, { kind: "wait", reason: WaitReason.enum.approval });
      continue;
    }
    tx.memory.queue.shift();
    const seq = await merge(c, attempt, candidate.manifest);
    rememberMergedTree(c, entry, candidate.manifest);
    decide(c, entry, { kind: "merged", seq });
  }
}

/**
 * Joins the merge queue and returns the decision for the submitting workflow: the one the queue
 * made about it right away (merged, conflict, failed, or wait for approval), else wait.
 */
export async function enqueue(c: Ctx, attempt: Attempt): Promise<AttemptDecision> {
  const { tx } = c;
  // Submitting: it waits for no event yet, and gets the decision as its call's answer.
  const entry: QueueEntry = {
    instanceId: attempt.id,
    taskId: attempt.taskId,
    jobId: null,
    check: null,
    verified: null,
    verifiedKey: null,
    approved: false,
    waitingFor: null,
  };
  tx.memory.queue.push(entry);
  tx.setTaskStatus(attempt.taskId, "verifying");
  await advanceQueue(c);
  const decided = tx.memory.decisions[attempt.id];
  if (decided) return decided;
  const reason = tx.memory.queue[0]?.instanceId === attempt.id ? "verify" : "queue";
  entry.waitingFor = decisionEvent(reason);
  const decision: AttemptDecision = { kind: "wait", reason };
  tx.memory.decisions[attempt.id] = decision;
  return decision;
}

/** A runner's result for a job (candidate or baseline): recorded, then the queue moves on. */
export async function settleVerification(c: Ctx, job: Job, result: JobResultRequest): Promise<void> {
  await recordResult(c, job, result);
  await advanceQueue(c);
}

/** The attempt's tree merged onto the current integration tree, or the conflicting paths. */
async function candidateTree(
  c: Ctx,
  attempt: Attempt,
  result: string,
): Promise<{ manifest: string } | { conflicts: string[] }> {
  const run = c.tx.run;
  if (attempt.baseSeq === run.integrationSeq) return { manifest: result };
  const [base, ours, theirs] = await Promise.all([
    c.state.manifest(c.store, await c.state.integrationManifest(c.store, attempt.baseSeq)),
    c.state.manifest(c.store, run.integrationManifest),
    c.state.manifest(c.store, result),
  ]);
  const merged = await mergeTrees({
    base,
    ours,
    theirs,
    readText: blobTextReader(c.store),
    writeText: blobTextWriter(c.store),
  });
  if (merged.conflicts.length > 0) return { conflicts: merged.conflicts };
  // Nothing of theirs to add (their changes are already in): the integration tree as it is,
  // already named and stored.
  if (merged.manifest === ours) return { manifest: run.integrationManifest };
  // Built from validated trees: stored without validating it again.
  const sha = await c.store.putMergedManifest(merged.manifest);
  c.state.remember(sha, merged.manifest);
  return { manifest: sha };
}

/** Makes `manifest` the run's integration tree: the task is merged. */
async function merge(c: Ctx, attempt: Attempt, manifest: string): Promise<number> {
  const { tx } = c;
  const seq = tx.run.integrationSeq + 1;
  await writeIntegration(c.store, tx.run.id, { seq, manifest, taskId: attempt.taskId, at: tx.now });
  c.state.integration.set(seq, manifest);
  tx.patchRun({ integrationSeq: seq, integrationManifest: manifest });
  tx.patchAttempt(attempt.id, { status: "succeeded", finishedAt: tx.now });
  tx.emit("attempt.finished", attempt.taskId, { instance: attempt.id, outcome: "succeeded" });
  const task = tx.task(attempt.taskId);
  if (task.status !== "done") tx.setTaskStatus(task.id, "done");
  tx.emit("merge.applied", task.id, { seq, manifest });
  tx.setTaskStatus(task.id, "merged", { mergedSeq: seq, summary: attempt.summary }, { summary: attempt.summary });
  return seq;
}
