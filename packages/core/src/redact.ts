/**
 * The one redaction function: everything that leaves a Worker or the runner as text (log
 * lines, events, artifacts, transcripts, error messages, command output) passes through it.
 *
 * Two layers: the known secret values of the process (model keys, tokens, the audit key),
 * replaced wherever they occur, and secret-shaped strings (provider keys, GitHub, Cloudflare,
 * AWS and Bernstein tokens, private keys, `NAME=value` assignments of secret-named variables),
 * replaced even when their value is not known. Every pattern is linear: bounded character
 * classes, no nested quantifiers, so redaction itself cannot stall on hostile text.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/** Known values shorter than this are not redacted by value (they would match everywhere). */
const MIN_SECRET_LENGTH = 8;

/** Secret-shaped strings, redacted whole. */
const SECRET_SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, // OpenAI
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, // GitHub
  /\bgl(?:pat|ptt|dt)-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[A-Za-z0-9_-]{35}/g, // Google API keys
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/g, // Stripe
  /\bbst_[A-Za-z0-9_-]{16,}/g, // Bernstein API and runner tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
];

/**
 * `NAME=value` / `NAME: value` / `"NAME": "value"` where NAME looks like a secret's (Cloudflare
 * and AWS secrets have no recognisable shape of their own): the value is redacted, the name kept.
 */
const SECRET_ASSIGNMENT =
  /\b([A-Za-z0-9_.-]{0,60}(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)[A-Za-z0-9_.-]{0,60})("?\s{0,8}[=:]\s{0,8}"?)([^\s"',;]{4,})/gi;

/** Authorization headers and basic-auth URLs. */
const BEARER = /\b(Bearer|Basic|token)(\s{1,8})[A-Za-z0-9._~+/=-]{8,}/g;
const AUTH_SCHEMES = new Set(["bearer", "basic", "token"]);
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s/@:]{1,200}:[^\s/@]{1,200}@/gi;

/** A redactor bound to a set of known secret values. */
export type Redactor = (text: string) => string;

/** Builds the redactor of a process from its known secret values (empty or short ones are skipped). */
export function createRedactor(known: Iterable<string | null | undefined> = []): Redactor {
  const values = [...new Set([...known].filter((v): v is string => typeof v === "string"))]
    .flatMap((v) => variants(v.trim()))
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text: string) => redactText(text, values);
}

/** Redacts secret-shaped strings (and the given known values) from one text. */
export function redactSecrets(text: string, known: Iterable<string | null | undefined> = []): string {
  return createRedactor(known)(text);
}

/** Applies a redactor to every string inside a JSON-like value (keys included). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  return deep(value, redact, 0) as T;
}

function deep(value: unknown, redact: Redactor, depth: number): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => deep(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redact(k)] = deep(v, redact, depth + 1);
  return out;
}

function redactText(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(BEARER, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  out = out.replace(SECRET_ASSIGNMENT, (whole, name: string, sep: string, secret: string) =>
    secret.startsWith("[REDACTED") || AUTH_SCHEMES.has(secret.toLowerCase()) ? whole : `${name}${sep}${REDACTED}`,
  );
  return out.replace(URL_CREDENTIALS, (_whole, scheme: string) => `${scheme}${REDACTED}@`);
}

/** A value and the forms it takes once embedded in JSON or a URL. */
function variants(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  return [value, json, url];
}
