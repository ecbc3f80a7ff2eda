import { type AuditEvent, canonicalJson } from "@bernstein/core";

const encoder = new TextEncoder();

/** What a link's HMAC covers: every field but the HMAC itself (and `prevHmac`, which is prefixed). */
export type AuditBody = Omit<AuditEvent, "hmac" | "prevHmac">;

/**
 * The audit chain's MAC, as documented in docs/internals.md ("Audit chain"):
 * `hmac = HMAC-SHA256(AUDIT_HMAC_KEY, prevHmac + canonicalJson(event))`, hex, where the event is
 * `{runId, seq, at, actor, action, data}` and canonical JSON has sorted keys, no whitespace,
 * UTF-8, numbers as JSON writes them. Genesis `prevHmac` is 64 zeros.
 */
export interface AuditMac {
  link(prevHmac: string, body: AuditBody): Promise<string>;
  /** The seal's MAC over `canonicalJson({runId, count, lastHmac, sealedAt})`. */
  seal(fields: { runId: string; count: number; lastHmac: string; sealedAt: string }): Promise<string>;
}

/** The MAC functions under one key (imported once). */
export async function auditMac(key: string): Promise<AuditMac> {
  if (!key) throw new Error("AUDIT_HMAC_KEY is not configured");
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sign = async (message: string) => {
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
    return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  return {
    link: (prevHmac, body) =>
      sign(
        prevHmac +
          canonicalJson({
            runId: body.runId,
            seq: body.seq,
            at: body.at,
            actor: body.actor,
            action: body.action,
            data: body.data,
          }),
      ),
    seal: (fields) => sign(canonicalJson(fields)),
  };
}
