import { z } from "zod";
import { IsoTime, RunId } from "./common.js";

/**
 * The seal of a run's chain, the last line of `runs/<run>/audit.jsonl` in R2, written when the
 * run ends (and again if it ends again after a retry): `hmac` = HMAC-SHA256(key, canonical JSON
 * of {runId, count, lastHmac, sealedAt}), so a seal cannot be rewritten without the key.
 */
export const AuditSeal = z.object({
  runId: RunId,
  count: z.number().int().nonnegative(),
  lastHmac: z.string().regex(/^[0-9a-f]{64}$/),
  sealedAt: IsoTime,
  hmac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditSeal = z.infer<typeof AuditSeal>;

/** `POST /v1/audit/verify`: one run, or every run when `runId` is absent. */
export const AuditVerifyRequest = z.strictObject({ runId: RunId.optional() });

/** The first broken link: where (`seq`, or null for the seal or the chain as a whole), what, expected and found. */
export const AuditBreak = z.object({
  seq: z.number().int().nullable(),
  where: z.enum(["d1", "seal"]),
  what: z.string(),
  expected: z.string(),
  found: z.string(),
});
export type AuditBreak = z.infer<typeof AuditBreak>;

export const AuditRunVerdict = z.object({
  runId: z.string(),
  ok: z.boolean(),
  /** Links in D1. */
  events: z.number().int().nonnegative(),
  /** An R2 seal exists (required once the run has ended). */
  sealed: z.boolean(),
  broken: AuditBreak.nullable(),
});
export type AuditRunVerdict = z.infer<typeof AuditRunVerdict>;

export const AuditVerifyResponse = z.object({ ok: z.boolean(), runs: z.array(AuditRunVerdict) });
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;
