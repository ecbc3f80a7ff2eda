import { BernsteinError, type Provider } from "@bernstein/core";
import { type Failure, failureFromResponse, networkFailure } from "./http-failure.js";
import { backoffMs } from "./retry-after.js";
import type { ProviderSettings } from "./types.js";

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/** One provider call: where to POST what, and how to read a successful answer. */
export interface ProviderCall<T> {
  provider: Provider;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Reads a 2xx answer. A BernsteinError `model_unavailable`/`model_rate_limited` here is retried. */
  read(res: Response): Promise<T>;
}

/** Waits `ms`, or less if the caller aborts (the loop then throws). */
function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

function aborted(provider: Provider, signal: AbortSignal): BernsteinError {
  return new BernsteinError("model_error", `${provider} request aborted`, {
    cause: signal.reason,
    details: { provider, aborted: true },
  });
}

function readFailure(call: ProviderCall<unknown>, error: unknown, apiKey: string): Failure {
  if (error instanceof BernsteinError) {
    return { error, retryable: error.code === "model_unavailable" || error.code === "model_rate_limited" };
  }
  // The connection broke while the body was arriving: the same as never reaching the server.
  return networkFailure(call.provider, call.url, error, apiKey);
}

type Outcome<T> = { value: T; failure?: undefined } | { failure: Failure };

async function attempt<T>(
  call: ProviderCall<T>,
  settings: ProviderSettings,
  signal?: AbortSignal,
): Promise<Outcome<T>> {
  const doFetch = settings.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(call.url, {
      method: "POST",
      headers: call.headers,
      body: JSON.stringify(call.body),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw aborted(call.provider, signal);
    return { failure: networkFailure(call.provider, call.url, error, settings.apiKey) };
  }
  try {
    if (!res.ok) return { failure: await failureFromResponse(call.provider, res, settings.apiKey) };
    return { value: await call.read(res) };
  } catch (error) {
    if (signal?.aborted) throw aborted(call.provider, signal);
    return { failure: readFailure(call, error, settings.apiKey) };
  }
}

/**
 * POSTs a call, retrying 429, 529, 5xx, network errors and broken streams: waits what the
 * server asks (`retry-after-ms`, `retry-after`) or backs off exponentially with jitter, each
 * wait capped at `maxRetryWaitMs`. Throws the last failure's BernsteinError.
 */
export async function sendWithRetries<T>(
  call: ProviderCall<T>,
  settings: ProviderSettings,
  signal?: AbortSignal,
): Promise<T> {
  const maxRetries = settings.maxRetries ?? DEFAULT_MAX_RETRIES;
  const cap = settings.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const sleep = settings.sleep ?? ((ms: number) => sleepUnlessAborted(ms, signal));
  for (let retry = 0; ; retry++) {
    if (signal?.aborted) throw aborted(call.provider, signal);
    const outcome = await attempt(call, settings, signal);
    if (outcome.failure === undefined) return outcome.value;
    const { error, retryable, waitMs } = outcome.failure;
    if (!retryable || retry >= maxRetries) {
      if (retry > 0 && error.details) error.details.attempts = retry + 1;
      throw error;
    }
    await sleep(Math.min(waitMs ?? backoffMs(retry), cap));
  }
}
