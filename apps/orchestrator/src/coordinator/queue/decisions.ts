import { type AttemptDecision, decisionEvent } from "@bernstein/core";
import type { Ctx } from "../context.js";
import type { QueueEntry } from "../memory.js";

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

/**
 * Records the decision about a queued attempt (a restarted workflow asks for it) and tells its
 * workflow, under the event it waits for. An attempt submitting in this very call waits for
 * nothing yet (`waitingFor` null): it gets the decision as the answer of its `submit`.
 */
export function decide(c: Ctx, entry: QueueEntry, decision: AttemptDecision): void {
  c.tx.memory.decisions[entry.instanceId] = decision;
  if (entry.waitingFor) c.tx.notify(entry.instanceId, entry.waitingFor, decision);
  if (decision.kind === "wait") entry.waitingFor = decisionEvent(decision.reason);
}
