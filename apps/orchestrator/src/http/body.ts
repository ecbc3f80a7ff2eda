import { BernsteinError, parseStrictJsonInSlices, parseWith, runInSlices } from "@bernstein/core";
import type { z } from "zod";
import { yieldToIo } from "../yield-to-io.js";
import type { BodySpec } from "./route.js";

/** How deep a JSON body may nest (the deepest API body, a plan, needs 5). */
export const MAX_JSON_DEPTH = 16;
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads and checks a request's body as its route declares it, before the route acts:
 * - `none`: any body bytes are a 400 (the bytes are read so the connection stays usable);
 * - `json`: `Content-Type: application/json` (else 415), at most `maxBytes` (413 with the
 *   limit), valid UTF-8, strict JSON (no duplicate keys, no `__proto__`, bounded depth), then
 *   the schema: a missing, wrong or unknown field is a 400 naming it (the strict check of a
 *   large body runs in slices, yielding to I/O between them);
 * - `text`: as JSON's limits and UTF-8, any text;
 * - `stream`: `application/octet-stream` with a `Content-Length` within the limit; the
 *   handler reads it.
 */
export async function readBody(request: Request, spec: BodySpec): Promise<unknown> {
  switch (spec.kind) {
    case "none":
      if (await hasBodyBytes(request)) {
        throw new BernsteinError("bad_request", `${request.method} ${routeName(request)} takes no body; send none`);
      }
      return undefined;
    case "json": {
      requireType(request, ["application/json"]);
      const text = decode(await readCapped(request, spec.maxBytes));
      const value = await runInSlices(parseStrictJsonInSlices(text, { maxDepth: MAX_JSON_DEPTH }), yieldToIo);
      return parseWith(spec.schema as z.ZodType, value);
    }
    case "text":
      requireType(request, ["text/plain", "application/octet-stream"]);
      return decode(await readCapped(request, spec.maxBytes));
    case "stream": {
      requireType(request, ["application/octet-stream"]);
      const length = declaredLength(request);
      if (length === undefined) {
        throw new BernsteinError("bad_request", "send the body's size in Content-Length");
      }
      if (length > spec.maxBytes) throw tooLarge(spec.maxBytes, `${length} bytes`);
      return undefined;
    }
  }
}

/** True when the request carries at least one body byte (the rest is left for `drainRequest`). */
async function hasBodyBytes(request: Request): Promise<boolean> {
  if (!request.body) return false;
  const declared = declaredLength(request);
  if (declared !== undefined) return declared > 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads at most `limit` bytes; more is a 413 that names the limit. */
async function readCapped(request: Request, limit: number, what = "the body"): Promise<Uint8Array> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) throw tooLarge(limit, `${declared} bytes`, what);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit, `over ${limit} bytes`, what);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function decode(bytes: Uint8Array): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch (error) {
    throw new BernsteinError("invalid_body", "request body is not valid UTF-8", { cause: error });
  }
}

function requireType(request: Request, allowed: readonly string[]): void {
  const raw = request.headers.get("content-type") ?? "";
  const [type, ...params] = raw.split(";").map((part) => part.trim().toLowerCase());
  const charsetOk = params.every((p) => p === "" || p === "charset=utf-8");
  if (!type || !allowed.includes(type) || !charsetOk) {
    throw new BernsteinError(
      "unsupported_media_type",
      `this route takes ${allowed.join(" or ")}${raw ? `, not ${JSON.stringify(raw.slice(0, 100))}` : " (no Content-Type was sent)"}`,
    );
  }
}

function declaredLength(request: Request): number | undefined {
  const header = request.headers.get("content-length");
  if (header === null) return undefined;
  if (!/^\d{1,15}$/.test(header)) throw new BernsteinError("bad_request", "Content-Length is not a byte count");
  return Number(header);
}

function tooLarge(limit: number, size: string, what = "the body"): BernsteinError {
  return new BernsteinError("payload_too_large", `${what} is ${size}; the limit is ${limit} bytes`, {
    details: { limit },
  });
}

function routeName(request: Request): string {
  return new URL(request.url).pathname;
}

/** Validates an id in the path by its format before any lookup: one that cannot exist is not found. */
export function idParam<S extends z.ZodType>(schema: S, value: string | undefined, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const shown = (value ?? "").slice(0, 80);
    throw new BernsteinError("not_found", `no ${what} ${JSON.stringify(shown)}`);
  }
  return parsed.data;
}
