import { type AuditEvent, canonicalJson } from "@bernstein/core";

const encoder = new TextEncoder();

/** An audit entry before it is linked into the chain. */
export interface AuditDraft {
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

/**
 * Links drafts into the run's chain: each link's `hmac` is HMAC-SHA256(key, canonical JSON of
 * {runId, seq, at, actor, action, data, prevHmac}) and the next link's `prevHmac`.
 */
export async function linkAudit(
  key: string,
  runId: string,
  at: string,
  last: { seq: number; hmac: string },
  drafts: readonly AuditDraft[],
): Promise<AuditEvent[]> {
  if (drafts.length === 0) return [];
  if (!key) throw new Error("AUDIT_HMAC_KEY is not configured");
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const out: AuditEvent[] = [];
  let prev = last;
  for (const draft of drafts) {
    const body = {
      runId,
      seq: prev.seq + 1,
      at,
      actor: draft.actor,
      action: draft.action,
      data: draft.data,
      prevHmac: prev.hmac,
    };
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(canonicalJson(body))));
    const hmac = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
    out.push({ ...body, hmac });
    prev = { seq: body.seq, hmac };
  }
  return out;
}
