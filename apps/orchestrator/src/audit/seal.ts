import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { type AuditEvent, type AuditSeal, canonicalJson } from "@bernstein/core";
import { auditMac } from "./hmac.js";

/**
 * Seals a run's chain into R2 at `runs/<run>/audit.jsonl`: one canonical JSON line per link,
 * in seq order, then `{"seal":{runId,count,lastHmac,sealedAt,hmac}}`. Written when the run
 * ends, and again when it ends again after a retry (the new seal covers the longer chain).
 */
export async function sealAudit(
  store: ArtifactStore,
  key: string,
  runId: string,
  events: readonly AuditEvent[],
  sealedAt: string,
): Promise<AuditSeal> {
  const mac = await auditMac(key);
  const fields = { runId, count: events.length, lastHmac: events.at(-1)?.hmac ?? "0".repeat(64), sealedAt };
  const seal: AuditSeal = { ...fields, hmac: await mac.seal(fields) };
  const lines = [...events.map((e) => canonicalJson(e)), canonicalJson({ seal })];
  await store.putText(keys.audit(runId), `${lines.join("\n")}\n`);
  return seal;
}
