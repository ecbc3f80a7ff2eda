import { blobTextReader, blobTextWriter, keys, mergeTrees } from "@bernstein/artifacts";
import type { Attempt, AttemptDecision, Job } from "@bernstein/core";
import { writeIntegration } from "./integration.js";
import type { QueueEntry } from "./memory.js";
import { type Ctx, conflictAttempt, decide, failAttempt, waitEvent } from "./outcomes.js";

/** Seconds a verification may take, and the lease a runner must keep renewing. */
export const VERIFY_TIMEOUT_SECONDS = 600;
export const LEASE_SECONDS = 30;

/**
 * Works the merge queue from its head until the head must wait (a verification in flight) or
 * the queue is empty. In merge order: the head is verified against the integration tree it
 * will merge into (its changes merged three-way onto the current tree), then merged, so the
 * integration tree only ever holds trees that passed the run's checks. A conflict sends the
 * task back; an approval-required task steps out until approved.
 */
export async function advanceQueue(c: Ctx): Promise<void> {
  const { tx } = c;
  for (;;) {
    const entry = tx.memory.queue[0];
    if (!entry || entry.jobId) return;
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
    if (tx.run.verifyCommands.length > 0 && entry.verified !== candidate.manifest) {
      entry.jobId = startVerification(c, attempt, candidate.manifest);
      entry.verified = null;
      return;
    }
    const task = tx.task(attempt.taskId);
    if (task.approvalRequired && !entry.approved) {
      tx.memory.queue.shift();
      tx.memory.approvals[task.id] = { ...entry, verified: candidate.manifest };
      tx.setTaskStatus(task.id, "pending_approval");
      decide(c, tx.memory.approvals[task.id] as QueueEntry, { kind: "wait", reason: "approval" });
      continue;
    }
    tx.memory.queue.shift();
    const seq = await merge(c, attempt, candidate.manifest);
    decide(c, entry, { kind: "merged", seq });
  }
}

/** Joins the merge queue; returns the decision for the submitting workflow. */
export async function enqueue(c: Ctx, attempt: Attempt): Promise<AttemptDecision> {
  const { tx } = c;
  const entry: QueueEntry = {
    instanceId: attempt.id,
    taskId: attempt.taskId,
    jobId: null,
    verified: null,
    approved: false,
    waitingFor: "submit",
  };
  tx.memory.queue.push(entry);
  tx.setTaskStatus(attempt.taskId, "verifying");
  await advanceQueue(c);
  // The submitting workflow gets its answer as the RPC's result, not as an event.
  const own = tx.notices.findIndex((n) => n.instanceId === attempt.id && n.type === "submit");
  if (own >= 0) return tx.notices.splice(own, 1)[0]?.payload as unknown as AttemptDecision;
  entry.waitingFor = waitEvent("verify");
  const decision: AttemptDecision = {
    kind: "wait",
    reason: tx.memory.queue[0]?.instanceId === attempt.id ? "verify" : "queue",
  };
  tx.memory.decisions[attempt.id] = decision;
  return decision;
}

/** A runner's verdict on the head's candidate tree. */
export async function settleVerification(
  c: Ctx,
  job: Job,
  result: { passed: boolean; tail: string; exitCode: number | null; timedOut: boolean },
): Promise<void> {
  const { tx } = c;
  const entry = tx.memory.queue[0];
  if (!entry || entry.jobId !== job.id) return; // a stale job: its attempt left the queue
  entry.jobId = null;
  tx.emit("log", job.taskId, {
    kind: "verify",
    job: job.id,
    instance: job.attemptId,
    passed: result.passed,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
  });
  if (result.passed) {
    entry.verified = job.manifest;
    await advanceQueue(c);
    return;
  }
  const lines = result.tail.trimEnd().split("\n").slice(-40).join("\n");
  const what = result.timedOut ? "timed out" : `failed (exit code ${result.exitCode ?? "none"})`;
  await failAttempt(c, job.attemptId, {
    code: "verify_failed",
    message: `the verify commands ${what}:\n${lines}`,
  });
  await advanceQueue(c);
}

function startVerification(c: Ctx, attempt: Attempt, manifest: string): string {
  const { tx } = c;
  const run = tx.run;
  const id = `j_${attempt.id}_${tx.now.replace(/\D/g, "")}_${tx.memory.queue.length}`;
  tx.insertJob({
    id,
    runId: run.id,
    taskId: attempt.taskId,
    attemptId: attempt.id,
    attempt: attempt.n,
    status: "queued",
    manifest,
    baseCommit: run.baseCommit,
    commands: run.verifyCommands,
    timeoutSeconds: VERIFY_TIMEOUT_SECONDS,
    leaseSeconds: LEASE_SECONDS,
    labels: [],
    runnerId: null,
    leaseExpiresAt: null,
    claims: 0,
    exitCode: null,
    timedOut: false,
    durationMs: null,
    tail: null,
    logKey: keys.attempt(run.id, attempt.taskId, attempt.n, "verify.log"),
    createdAt: tx.now,
    updatedAt: tx.now,
  });
  tx.emit("log", attempt.taskId, { kind: "verify.queued", job: id, instance: attempt.id });
  return id;
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
  const sha = await c.store.putManifest(merged.manifest);
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
