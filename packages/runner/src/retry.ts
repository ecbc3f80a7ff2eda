import { type BernsteinError, toBernsteinError } from "@bernstein/core";
import pRetry from "p-retry";

/** Growing delays between tries: initial, 2x, 4x ... up to max (no jitter). */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Tries in all (default 4; `Infinity` tries until it succeeds, fails for good, or is aborted). */
  attempts?: number;
  signal?: AbortSignal;
  /** Which failures are worth another try (default `isTransient`). */
  isRetryable?(error: BernsteinError): boolean;
  /** Called before each wait. */
  onRetry?(error: BernsteinError, retryInMs: number): void;
}

/** Errors worth another try: the stack did not answer, or answered with a server failure. */
export function isTransient(error: BernsteinError): boolean {
  return error.code === "stack_unreachable" || error.code === "internal";
}

/**
 * Calls `fn` until it succeeds, retrying the failures `isRetryable` accepts with growing
 * delays (p-retry: the runner's one retry loop). An abort during a wait ends it at once.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const minTimeout = options.initialMs ?? 1_000;
  const maxTimeout = options.maxMs ?? 30_000;
  const retryable = (error: unknown) => (options.isRetryable ?? isTransient)(toBernsteinError(error));
  return pRetry(fn, {
    retries: (options.attempts ?? 4) - 1,
    minTimeout,
    maxTimeout,
    factor: 2,
    randomize: false,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: ({ error }) => retryable(error),
    onFailedAttempt: ({ error, retriesLeft, retriesConsumed }) => {
      if (retriesLeft <= 0 || options.signal?.aborted || !retryable(error)) return;
      // The wait p-retry makes next with these options (its delay is minTimeout * factor^consumed).
      options.onRetry?.(toBernsteinError(error), Math.min(maxTimeout, minTimeout * 2 ** retriesConsumed));
    },
  });
}
