import { redactSecrets } from "@bernstein/core";

const MASK = "[redacted]";

/** Removes every occurrence of `secret` from `text`. */
export function scrub(text: string, secret: string): string {
  return secret === "" ? text : text.split(secret).join(MASK);
}

/** How much of a key's start or end marks a word as quoting it (a provider's `sk-ant-…f3a9`). */
const KEY_PREFIX = 8;
const KEY_SUFFIX = 4;

/**
 * A provider's own words about a refused key, safe to show: the key itself, any word holding
 * its first or last few characters (providers echo keys masked, `sk-wrong-****3b4a`), and
 * anything shaped like a secret (core's `redactSecrets`) are replaced.
 */
export function scrubProviderMessage(text: string, secret: string): string {
  const head = secret.length > KEY_PREFIX * 2 ? secret.slice(0, KEY_PREFIX) : undefined;
  const tail = secret.length > KEY_SUFFIX * 3 ? secret.slice(-KEY_SUFFIX) : undefined;
  const words = scrub(text, secret).replace(/\S+/g, (word) =>
    (head !== undefined && word.includes(head)) || (tail !== undefined && word.includes(tail)) ? MASK : word,
  );
  return redactSecrets(words, [secret]);
}

/** `error` as a cause, unless it mentions the secret anywhere (then no cause at all). */
export function safeCause(error: unknown, secret: string): unknown {
  if (secret === "") return error;
  const text =
    error instanceof Error ? `${error.message}\n${error.stack ?? ""}\n${String(error.cause)}` : String(error);
  return text.includes(secret) ? undefined : error;
}
