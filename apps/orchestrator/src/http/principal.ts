import { BernsteinError } from "@bernstein/core";
import { createDb, getTokenByHash, hasLiveToken, touchToken } from "@bernstein/db";
import type { Env } from "../env.js";
import { sha256Hex, timingSafeEqualHex } from "./token-hash.js";

/**
 * Who is calling. `admin`: the admin token (CLI, monitor, dashboard), every route; `tokenId`
 * is null for the bootstrap token of the `API_TOKEN` secret (see `authenticate`). `runner`: a
 * runner token, the runner routes only; its token's id is the runner's id in the job queue.
 * `session`: a live dashboard session cookie (`session.ts`), read access and the dashboard.s
 * own actions.
 */
export type Principal = (
  | { kind: "admin"; tokenId: string | null; name: string; lastUsedAt: string | null }
  | { kind: "runner"; tokenId: string; name: string; lastUsedAt: string | null }
  /** A live dashboard session cookie (`session.ts` has already limited what it may change). */
  | { kind: "session"; tokenId: null; name: "dashboard"; lastUsedAt: null }
) & {
  /** From this isolate's memory of live tokens: good enough to refuse a bad body, not to act. */
  provisional?: true;
};

/** Who may call a route: nobody needs a token (`public`), the admin, a runner, or either. */
export type Access = "public" | "admin" | "runner" | "admin-or-runner";

/** How often a token's `lastUsedAt` is written (each success would be a D1 write otherwise). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Tokens this isolate found live in D1 lately, by hash. Used only to refuse a malformed body
 * without a D1 lookup: before any route acts, the token is looked up again (`fresh`), so a
 * revoked token never acts, and is refused from the next request on (with a 400 instead of a
 * 403 when that request's body was malformed anyway, within `REMEMBER_MS` in this isolate).
 */
const remembered = new Map<string, { principal: Principal; at: number }>();
const REMEMBER_MS = 60_000;
const REMEMBER_MAX = 1_000;

/** Forgets every token this isolate remembers (after a revocation or rotation here). */
export function forgetTokens(): void {
  remembered.clear();
}

/**
 * Authenticates `Authorization: Bearer <token>`: missing -> 401; a token whose SHA-256 is not a
 * live token in D1 -> 403 (a revoked one says so: revocation holds from the next request on).
 * The `API_TOKEN` secret is the admin token only while D1 holds no live admin token (a fresh
 * deploy); `tokens rotate --admin` stores one, and the secret stops working.
 */
export async function authenticate(request: Request, env: Env, options: { fresh?: boolean } = {}): Promise<Principal> {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer +([\x21-\x7e]{1,512})$/i.exec(header) : null;
  if (!match) throw new BernsteinError("unauthorized", "missing bearer token: send Authorization: Bearer <token>");
  const hash = await sha256Hex(match[1] as string);
  const seen = remembered.get(hash);
  if (!options.fresh && seen && Date.now() - seen.at < REMEMBER_MS) return { ...seen.principal, provisional: true };
  remembered.delete(hash);
  const principal = await lookUp(env, hash);
  if (remembered.size >= REMEMBER_MAX) remembered.clear();
  remembered.set(hash, { principal, at: Date.now() });
  return principal;
}

/** The principal a token's hash names in D1 (or the bootstrap secret); 403 otherwise. */
async function lookUp(env: Env, hash: string): Promise<Principal> {
  const db = createDb(env.STATE_DB);
  const token = await getTokenByHash(env.STATE_DB, hash);
  if (token?.revokedAt) throw new BernsteinError("forbidden", `the token "${token.name}" was revoked`);
  if (token) return { kind: token.scope, tokenId: token.id, name: token.name, lastUsedAt: token.lastUsedAt };
  if (env.API_TOKEN && timingSafeEqualHex(hash, await sha256Hex(env.API_TOKEN))) {
    if (await hasLiveToken(db, "admin")) {
      throw new BernsteinError("forbidden", "the bootstrap token was rotated out; use the current admin token");
    }
    return { kind: "admin", tokenId: null, name: "admin", lastUsedAt: null };
  }
  throw new BernsteinError("forbidden", "the bearer token is not valid for this stack");
}

/** Whether `principal` may call a route of `access` (403 otherwise, saying what it needs). */
export function requireAccess(principal: Principal, access: Access): void {
  if (access === "public" || access === "admin-or-runner" || principal.kind === access) return;
  // A session reads what the admin reads; `authenticateSession` let through only its actions.
  if (principal.kind === "session" && access === "admin") return;
  throw new BernsteinError(
    "forbidden",
    access === "admin" ? "this route needs the admin token" : "this route needs a runner token",
  );
}

/** The runner behind a runner route. */
export function runnerOf(principal: Principal | null): { id: string; name: string } {
  if (principal?.kind !== "runner") throw new BernsteinError("forbidden", "this route needs a runner token");
  return { id: principal.tokenId, name: principal.name };
}

/** Records a successful request of a stored token, at most once a minute. */
export async function touchPrincipal(env: Env, principal: Principal | null, now = new Date()): Promise<void> {
  if (!principal?.tokenId) return;
  const last = principal.lastUsedAt ? Date.parse(principal.lastUsedAt) : 0;
  if (now.getTime() - last < TOUCH_EVERY_MS) return;
  await touchToken(createDb(env.STATE_DB), principal.tokenId, now.toISOString());
}
