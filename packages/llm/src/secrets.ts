const MASK = "[redacted]";

/** Removes every occurrence of `secret` from `text`. */
export function scrub(text: string, secret: string): string {
  return secret === "" ? text : text.split(secret).join(MASK);
}

/** `error` as a cause, unless it mentions the secret anywhere (then no cause at all). */
export function safeCause(error: unknown, secret: string): unknown {
  if (secret === "") return error;
  const text =
    error instanceof Error ? `${error.message}\n${error.stack ?? ""}\n${String(error.cause)}` : String(error);
  return text.includes(secret) ? undefined : error;
}
