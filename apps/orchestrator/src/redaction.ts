import { createRedactor, type Redactor } from "@bernstein/core";
import type { Env } from "./env.js";

let current: Redactor = createRedactor();
let known = "";

/**
 * The Worker's redactor: core's one redaction function bound to the secrets this Worker holds
 * (model keys, the API token, the audit key). Everything the orchestrator writes as text (D1
 * rows through the coordinator's transactions, events, logs, error messages, verify logs and
 * tails) passes through it. Rebuilt only when the secrets change.
 */
export function redactorOf(env: Env): Redactor {
  const values = [env.ANTHROPIC_API_KEY, env.OPENAI_API_KEY, env.API_TOKEN, env.AUDIT_HMAC_KEY];
  const id = values.map((v) => v ?? "").join("\u0000");
  if (id !== known) {
    current = createRedactor(values);
    known = id;
  }
  return current;
}

/** The redactor of the last env seen (the logger has no env of its own). */
export function redact(text: string): string {
  return current(text);
}
