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

// Imported keys by key string: a worker sees one key (a test a few), and every batch of links
// asked for `auditMac` again, importing the key each time. Bounded all the same.
const importedKeys = new Map<string, Promise<CryptoKey>>();
const IMPORTED_KEYS_MAX = 8;

function importedKey(key: string): Promise<CryptoKey> {
  const known = importedKeys.get(key);
  if (known) return known;
  if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.clear();
  const imported = crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  importedKeys.set(key, imported);
  // A failed import is not kept: the next call tries again.
  imported.catch(() => importedKeys.delete(key));
  return imported;
}

/** The MAC functions under one key (imported once per key string, then reused). */
export async function auditMac(key: string): Promise<AuditMac> {
  if (!key) throw new Error("AUDIT_HMAC_KEY is not configured");
  const cryptoKey = await importedKey(key);
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
