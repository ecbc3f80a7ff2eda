import { z } from "zod";
import { IsoTime, RunId } from "./common.js";

/** Genesis `prev_hmac` of every run's audit chain. */
export const AUDIT_GENESIS = "0".repeat(64);

/**
 * One link of a run's tamper-evident chain: `hmac = HMAC-SHA256(key, canonicalJson({runId,
 * seq, at, actor, action, data, prevHmac}))`, with `prevHmac` the previous link's `hmac`.
 */
export const AuditEvent = z.object({
  runId: RunId,
  seq: z.number().int().positive(),
  at: IsoTime,
  actor: z.string(),
  action: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHmac: z.string().regex(/^[0-9a-f]{64}$/),
  hmac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
