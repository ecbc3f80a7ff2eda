import { type BernsteinError, toBernsteinError } from "@bernstein/core";
import { type BackoffOptions, backoffDelay, sleep } from "./backoff.js";

export interface RetryOptions extends BackoffOptions {
  /** Tries in all (default 4). */
  attempts?: number;
  signal?: AbortSignal;
  /** Called before each wait. */
  onRetry?(error: BernsteinError, retryInMs: number): void;
}

/** Errors worth another try: the stack did not answer, or answered with a server failure. */
export function isTransient(error: BernsteinError): boolean {
  return error.code === "stack_unreachable" || error.code === "internal";
}

/** Calls `fn` until it succeeds, retrying transient failures with growing delays. */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const failure = toBernsteinError(error);
      if (options.signal?.aborted || !isTransient(failure) || attempt + 1 >= attempts) throw error;
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(failure, delay);
      await sleep(delay, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
