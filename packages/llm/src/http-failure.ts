import { BernsteinError, type Provider } from "@bernstein/core";
import { retryAfterMs } from "./retry-after.js";
import { safeCause, scrub, scrubProviderMessage } from "./secrets.js";

/** A failed attempt: the error to throw, and whether (and when) another attempt may help. */
export interface Failure {
  error: BernsteinError;
  retryable: boolean;
  waitMs?: number;
}

const KEY_VARIABLE: Record<Provider, string> = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" };

/** Both providers put the reason in `error.message` and its kind in `error.type`. */
function reasonOf(text: string): { message: string | undefined; type: string | undefined } {
  try {
    const body: unknown = JSON.parse(text);
    const error = typeof body === "object" && body !== null && "error" in body ? body.error : undefined;
    if (typeof error === "object" && error !== null) {
      const message = "message" in error && typeof error.message === "string" ? error.message : undefined;
      const type = "type" in error && typeof error.type === "string" ? error.type : undefined;
      return { message, type };
    }
    if (typeof error === "string") return { message: error, type: undefined };
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw text is the best reason there is.
  }
  return { message: text.trim().slice(0, 500) || undefined, type: undefined };
}

/** Maps an HTTP error answer to a BernsteinError code and a retry decision. */
export async function failureFromResponse(provider: Provider, res: Response, apiKey: string): Promise<Failure> {
  const text = await res.text();
  const { message, type } = reasonOf(text);
  const requestId = res.headers.get("request-id") ?? res.headers.get("x-request-id") ?? undefined;
  const details = { provider, status: res.status, ...(type ? { type } : {}), ...(requestId ? { requestId } : {}) };
  const reason = message === undefined ? "" : `: ${scrub(message, apiKey)}`;
  const status = res.status;
  const shouldRetry = res.headers.get("x-should-retry");
  const waitMs = retryAfterMs(res.headers);
  const retry = (code: "model_rate_limited" | "model_unavailable", what: string): Failure => ({
    error: new BernsteinError(code, `${provider} ${what} (${status})${reason}`, { details }),
    retryable: shouldRetry !== "false",
    ...(waitMs === undefined ? {} : { waitMs }),
  });
  if (status === 401 || status === 403) {
    // The provider's own words say what is wrong (a revoked key, another organisation's); they
    // may echo part of the key, so they are scrubbed of it, then what to fix follows.
    const said = message === undefined ? "" : `${scrubProviderMessage(message, apiKey).slice(0, 300)}; `;
    const error = new BernsteinError(
      "model_auth",
      `${provider} refused the API key (${status}): ${said}check ${KEY_VARIABLE[provider]}`,
      { details },
    );
    return { error, retryable: false };
  }
  if (status === 400 || status === 404 || status === 422) {
    return {
      error: new BernsteinError("model_bad_request", `${provider} rejected the request (${status})${reason}`, {
        details,
      }),
      retryable: false,
    };
  }
  if (status === 429) return retry("model_rate_limited", "is rate limiting requests");
  if (status === 529 || (status >= 500 && status <= 599)) return retry("model_unavailable", "is unavailable");
  return {
    error: new BernsteinError("model_error", `${provider} answered ${status}${reason}`, { details }),
    retryable: shouldRetry === "true",
  };
}

/** A fetch that threw before any answer (DNS, refused connection, reset): worth another try. */
export function networkFailure(provider: Provider, url: string, error: unknown, apiKey: string): Failure {
  const what = scrub(error instanceof Error ? error.message : String(error), apiKey);
  const cause = safeCause(error, apiKey);
  const host = new URL(url).host;
  return {
    error: new BernsteinError("model_unavailable", `could not reach ${provider} at ${host}: ${what}`, {
      details: { provider, network: true },
      ...(cause === undefined ? {} : { cause }),
    }),
    retryable: true,
  };
}
