import { BernsteinError, type ErrorCode, ErrorResponse } from "@bernstein/core";

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * Turns a non-2xx response into a BernsteinError: the body's `{error:{code,message}}` when it
 * has one, else a code chosen from the HTTP status (a proxy or a crashed Worker answers in HTML).
 */
export async function errorFromResponse(
  response: Response,
  method: string,
  path: string,
  baseUrl: string,
): Promise<BernsteinError> {
  const text = await response.text().catch((error: unknown) => `(body unreadable: ${String(error)})`);
  const parsed = ErrorResponse.safeParse(safeJson(text));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new BernsteinError(code, message, { details: { ...details, status: response.status } });
  }
  const status = response.status;
  const code: ErrorCode =
    STATUS_CODES[status] ?? (status === 502 || status === 503 || status === 504 ? "stack_unreachable" : "internal");
  const snippet = text.trim().slice(0, 200);
  const where = code === "stack_unreachable" ? ` at ${baseUrl}` : "";
  return new BernsteinError(
    code,
    `${method} ${path} failed with HTTP ${status}${where}${snippet ? `: ${snippet}` : ""}`,
    { details: { status } },
  );
}

/** A request that never got an HTTP answer: connection refused, DNS, TLS, timeout. */
export function unreachableError(baseUrl: string, error: unknown, timeoutMs: number | null): BernsteinError {
  const reason = isTimeout(error) ? `no answer within ${Math.round((timeoutMs ?? 0) / 1000)} s` : describeCause(error);
  return new BernsteinError("stack_unreachable", `cannot reach the Bernstein stack at ${baseUrl} (${reason})`, {
    cause: error,
    details: { url: baseUrl },
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

// undici reports "fetch failed" with the socket error (or an AggregateError of them) as cause.
function describeCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (typeof current === "object") {
      const record = current as { code?: unknown; errors?: unknown; cause?: unknown };
      if (typeof record.code === "string") return record.code;
      if (Array.isArray(record.errors) && record.errors.length > 0) {
        current = record.errors[0];
        continue;
      }
      if (record.cause !== undefined) {
        current = record.cause;
        continue;
      }
    }
    break;
  }
  return error instanceof Error ? error.message : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Not JSON (a proxy's HTML page, an empty body): the caller falls back to the HTTP status.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
