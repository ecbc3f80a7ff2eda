import { BernsteinError } from "@bernstein/core";

const encoder = new TextEncoder();

/**
 * Checks `Authorization: Bearer <token>` against the expected token: missing -> 401, wrong ->
 * 403. Both sides are hashed first so the comparison is constant-time whatever their lengths.
 */
export async function requireBearer(request: Request, expected: string): Promise<void> {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new BernsteinError("unauthorized", "missing bearer token: send Authorization: Bearer <token>");
  if (!expected) throw new BernsteinError("internal", "the stack has no API token configured");
  const [given, wanted] = await Promise.all([digest(match[1] as string), digest(expected)]);
  if (!crypto.subtle.timingSafeEqual(given, wanted)) {
    throw new BernsteinError("forbidden", "the bearer token is not valid for this stack");
  }
}

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(value));
}
