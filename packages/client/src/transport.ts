import { BernsteinError } from "@bernstein/core";
import { errorFromResponse, unreachableError } from "./response-error.js";

/** What every request needs: where the stack is, how to authenticate, which fetch to use. */
export interface TransportOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** Per-request timeout for ordinary calls, in ms (default 60 s). Streams have none. */
  timeoutMs?: number | undefined;
}

export interface RequestOptions {
  /** A JSON body (sent with `content-type: application/json`). */
  json?: unknown;
  /** A raw body (sent as `application/octet-stream`). */
  bytes?: Uint8Array;
  accept?: string;
  signal?: AbortSignal | undefined;
  /** Overrides the transport's timeout; `null` means none (streams). */
  timeoutMs?: number | null;
}

/** A fetch wrapper that turns every failure into a BernsteinError and never leaks the token. */
export interface Transport {
  readonly baseUrl: string;
  /** Sends a request and returns the response when it is 2xx, else throws its error. */
  send(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Sends a request and parses a JSON body. */
  json(method: string, path: string, options?: RequestOptions): Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Creates the transport the typed client is built on. */
export function createTransport(options: TransportOptions): Transport {
  const base = normalizeBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(method: string, path: string, request: RequestOptions = {}): Promise<Response> {
    const headers = new Headers({ accept: request.accept ?? "application/json" });
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    let body: BodyInit | undefined;
    if (request.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(request.json);
    } else if (request.bytes !== undefined) {
      headers.set("content-type", "application/octet-stream");
      body = toArrayBuffer(request.bytes);
    }
    const timeoutMs = request.timeoutMs === undefined ? defaultTimeout : request.timeoutMs;
    const signals = [request.signal, timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs)].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal });
    } catch (error) {
      // The caller's own abort is not a failure of the stack: let it through unchanged.
      if (request.signal?.aborted) throw request.signal.reason;
      throw unreachableError(base, error, timeoutMs);
    }
    if (!response.ok) throw await errorFromResponse(response, method, path, base);
    return response;
  }

  async function json(method: string, path: string, request: RequestOptions = {}): Promise<unknown> {
    const response = await send(method, path, request);
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new BernsteinError("internal", `${method} ${path} answered with a body that is not JSON`, {
        cause: error,
        details: { status: response.status },
      });
    }
  }

  return { baseUrl: base, send, json };
}

/** Strips credentials, query and trailing slashes so the URL can be printed and joined. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new BernsteinError("usage", `"${raw}" is not a URL (expected e.g. http://127.0.0.1:8787)`, {
      cause: error,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BernsteinError("usage", `stack URL must be http or https, got ${url.protocol}`);
  }
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

// fetch's BodyInit wants an ArrayBuffer-backed view; copy only when the view is not one.
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer;
  }
  // Not bytes.slice(): on a Node Buffer that is a view of the same (pooled) memory.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
