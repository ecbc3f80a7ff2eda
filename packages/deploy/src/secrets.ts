import { createHmac, randomBytes } from "node:crypto";
import { MODEL_SECRETS, STACK, type WorkerKey } from "@bernstein/stack-spec";
import type { ProjectRecord } from "./projects-file.js";

/** A new random token (URL-safe, 256 bits). */
export function generateToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The secret values a Worker should hold: generated ones from the record, model keys from the environment. */
export function desiredSecrets(
  key: WorkerKey,
  record: ProjectRecord,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const generated: Record<string, string> = { API_TOKEN: bootstrapOf(record), AUDIT_HMAC_KEY: record.auditKey };
  const secrets: Record<string, string> = {};
  for (const name of STACK.workers[key].requiredSecrets) {
    const value = generated[name];
    if (value !== undefined) secrets[name] = value;
  }
  for (const name of MODEL_SECRETS) {
    const value = env[name];
    if (value) secrets[name] = value;
  }
  return secrets;
}

/**
 * A fingerprint of a secret value, to tell later whether it changed without keeping the value
 * twice: HMAC-SHA256 keyed with the project's first API token (a rotation changes no fingerprint), truncated.
 */
export function fingerprint(record: ProjectRecord, value: string): string {
  return createHmac("sha256", bootstrapOf(record)).update(value).digest("hex").slice(0, 32);
}

/** The API_TOKEN secret: the project's first admin token, also after `tokens rotate --admin`. */
function bootstrapOf(record: ProjectRecord): string {
  return record.bootstrapToken ?? record.apiToken;
}

/** The secrets whose value differs from what the Worker was last given. */
export function changedSecrets(
  desired: Record<string, string>,
  record: ProjectRecord,
  known: Record<string, string> | undefined,
): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const [name, value] of Object.entries(desired)) {
    if (known?.[name] !== fingerprint(record, value)) changed[name] = value;
  }
  return changed;
}
