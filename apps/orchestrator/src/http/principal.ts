import { BernsteinError } from "@bernstein/core";
import { createDb, getRunnerByTokenHash, type Runner } from "@bernstein/db";
import type { IRequest } from "itty-router";
import type { Env } from "../env.js";

const encoder = new TextEncoder();

/** Who is calling: the stack's owner (API token), a registered runner (runner token), or the dashboard (session cookie). */
export type Principal = { kind: "owner" } | { kind: "runner"; runner: Runner } | { kind: "session" };

/** Routes a runner token may reach: the job queue and what materialising a job needs. */
const RUNNER_ROUTE = /^\/v1\/runners\/(jobs|snapshots|blobs)(\/|$)/;

/**
 * Authenticates `Authorization: Bearer <token>`: missing -> 401, unknown -> 403, a runner token
 * outside the runner routes -> 403. Tokens are compared as SHA-256 digests, the API token in
 * constant time; runner tokens are looked up by the hash stored when they were issued.
 */
export async function authenticate(request: IRequest, env: Env): Promise<Principal> {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new BernsteinError("unauthorized", "missing bearer token: send Authorization: Bearer <token>");
  if (!env.API_TOKEN) throw new BernsteinError("internal", "the stack has no API token configured");
  const token = match[1] as string;
  const [given, wanted] = await Promise.all([digest(token), digest(env.API_TOKEN)]);
  if (crypto.subtle.timingSafeEqual(given, wanted)) return { kind: "owner" };
  const runner = await getRunnerByTokenHash(createDb(env.STATE_DB), hex(given));
  if (!runner) throw new BernsteinError("forbidden", "the bearer token is not valid for this stack");
  if (!RUNNER_ROUTE.test(new URL(request.url).pathname)) {
    throw new BernsteinError("forbidden", "a runner token reaches only the runner routes");
  }
  return { kind: "runner", runner };
}

/** The runner behind a runner-only route (an owner token cannot claim jobs: it is not a runner). */
export function requireRunner(principal: Principal | undefined): Runner {
  if (principal?.kind !== "runner") throw new BernsteinError("forbidden", "this route needs a runner token");
  return principal.runner;
}

/** SHA-256 of a token, as stored for runner tokens. */
export async function tokenHash(token: string): Promise<string> {
  return hex(await digest(token));
}

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(value));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
