import type { AuditEvent, RunEventType } from "@bernstein/core";
import { auditMac } from "../audit/hmac.js";

/** An audit entry before it is linked into the chain. */
export interface AuditDraft {
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

/**
 * Events that are scheduling decisions, transitions or merges: each also becomes an audit link
 * (actor `coordinator`, action = the event type, data = the event's data and task), so the
 * chain records every decision, not only the user's.
 */
export const AUDITED_EVENTS: ReadonlySet<RunEventType> = new Set([
  "run.status",
  "task.status",
  "attempt.started",
  "merge.applied",
  "merge.conflict",
  "plan.rejected",
]);

/** Links drafts into the run's chain after `last` (see `auditMac` for what each `hmac` covers). */
export async function linkAudit(
  key: string,
  runId: string,
  at: string,
  last: { seq: number; hmac: string },
  drafts: readonly AuditDraft[],
): Promise<AuditEvent[]> {
  if (drafts.length === 0) return [];
  const mac = await auditMac(key);
  const out: AuditEvent[] = [];
  let prev = last;
  for (const draft of drafts) {
    const body = { runId, seq: prev.seq + 1, at, actor: draft.actor, action: draft.action, data: draft.data };
    const hmac = await mac.link(prev.hmac, body);
    out.push({ ...body, prevHmac: prev.hmac, hmac });
    prev = { seq: body.seq, hmac };
  }
  return out;
}
