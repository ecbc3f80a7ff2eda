const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/**
 * The wait a response asks for: `retry-after-ms` (OpenAI), else `retry-after` in seconds or as
 * an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter for retry `attempt` (0-based): 0.5 s, 1 s, 2 s... up to 8 s, minus up to 25%. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const delay = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.round(delay * (1 - 0.25 * random()));
}
