import { BernsteinError, type Provider } from "@bernstein/core";
import { type Failure, failureFromResponse, networkFailure } from "./http-failure.js";
import type { ProviderSettings } from "./types.js";

/** One provider call: where to POST what, and how to read a successful answer. */
export interface ProviderCall<T> {
  provider: Provider;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Reads a 2xx answer. A BernsteinError `model_unavailable`/`model_rate_limited` here may be retried. */
  read(res: Response): Promise<T>;
}

function aborted(provider: Provider, signal: AbortSignal): BernsteinError {
  return new BernsteinError("model_error", `${provider} request aborted`, {
    cause: signal.reason,
    details: { provider, aborted: true, retryable: false },
  });
}

function readFailure(call: ProviderCall<unknown>, error: unknown, apiKey: string): Failure {
  if (error instanceof BernsteinError) {
    return { error, retryable: error.code === "model_unavailable" || error.code === "model_rate_limited" };
  }
  // The connection broke while the body was arriving: the same as never reaching the server.
  return networkFailure(call.provider, call.url, error, apiKey);
}

/**
 * The failure as the error to throw. Whether another try may help, and when (what the server
 * asked for), travel in `details.retryable` and `details.retryAfterMs`: the retry layer
 * (the Workflow step, see README "Retries") reads them.
 */
function failed(failure: Failure): BernsteinError {
  const { error, retryable, waitMs } = failure;
  const details = { ...error.details, retryable, ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }) };
  return new BernsteinError(error.code, error.message, {
    details,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/**
 * POSTs a call once and reads the answer. Every failure is a BernsteinError: 429
 * `model_rate_limited`, 529/5xx/network errors/broken streams `model_unavailable`, and so on
 * (README "Errors"). This client does not retry: model calls have one retry layer, the step.
 */
export async function send<T>(call: ProviderCall<T>, settings: ProviderSettings, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw aborted(call.provider, signal);
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
    throw failed(networkFailure(call.provider, call.url, error, settings.apiKey));
  }
  let failure: Failure;
  try {
    if (res.ok) return await call.read(res);
    failure = await failureFromResponse(call.provider, res, settings.apiKey);
  } catch (error) {
    if (signal?.aborted) throw aborted(call.provider, signal);
    failure = readFailure(call, error, settings.apiKey);
  }
  throw failed(failure);
}
