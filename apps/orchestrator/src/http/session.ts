import { BernsteinError } from "@bernstein/core";
import {
  createDb,
  deleteSession,
  getLiveSession,
  insertLoginCode,
  insertSession,
  redeemLoginCode,
} from "@bernstein/db";
import type { Env } from "../env.js";
import type { Principal } from "./principal.js";
import { readSessionCookie, SESSION_TTL_SECONDS } from "./session-cookie.js";
import { sha256Hex as tokenHash } from "./token-hash.js";

/** How long a login link works by default (it is also used up by its first exchange). */
const DEFAULT_LOGIN_CODE_TTL_SECONDS = 5 * 60;

/** What a dashboard session may change: the actions the dashboard offers, nothing else. */
const SESSION_ACTION = /^\/v1\/(runs\/[^/]+\/(cancel|budget)|tasks\/[^/]+\/(approve|reject|retry|cancel))$/;
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** How long a login link works here (`LOGIN_CODE_TTL_SECONDS`, default 5 minutes). */
export function loginCodeTtlSeconds(env: Env): number {
  const ttl = Number(env.LOGIN_CODE_TTL_SECONDS);
  return Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_LOGIN_CODE_TTL_SECONDS;
}

/** A new one-time login code; only its hash is stored. */
export async function createLoginCode(env: Env, runId: string | null, now = new Date()) {
  const code = randomSecret();
  const expiresAt = new Date(now.getTime() + loginCodeTtlSeconds(env) * 1000).toISOString();
  const db = createDb(env.STATE_DB);
  await insertLoginCode(db, { codeHash: await tokenHash(code), runId, createdAt: now.toISOString(), expiresAt });
  return { code, expiresAt };
}

/** Why a login link was refused, in words for the page that says so. */
export type LoginRefusal = "unknown" | "expired" | "used";

/**
 * Exchanges a login code for a new session (the code is used up either way it is tried once
 * more): the session's secret for the cookie and the run the link lands on.
 */
export async function startSession(
  env: Env,
  code: string,
  now = new Date(),
): Promise<{ ok: true; secret: string; runId: string | null } | { ok: false; reason: LoginRefusal }> {
  const db = createDb(env.STATE_DB);
  const redeemed = await redeemLoginCode(db, await tokenHash(code), now.toISOString());
  if (!redeemed.ok) return redeemed;
  const secret = randomSecret();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString();
  await insertSession(db, { idHash: await tokenHash(secret), createdAt: now.toISOString(), expiresAt });
  return { ok: true, secret, runId: redeemed.code.runId };
}

/** Ends the request's session, if it has one. */
export async function endSession(request: Request, env: Env): Promise<void> {
  const secret = readSessionCookie(request);
  if (secret) await deleteSession(createDb(env.STATE_DB), await tokenHash(secret));
}

/**
 * The session behind a request without a bearer token: undefined when it has a bearer token
 * or no session cookie, a `session` principal when the cookie is live. A state-changing request must also
 * come from the dashboard's own origin (`Origin`), and be one of the dashboard's actions.
 */
export async function authenticateSession(request: Request, env: Env): Promise<Principal | undefined> {
  const secret = request.headers.has("authorization") ? undefined : readSessionCookie(request);
  if (!secret) return undefined;
  const session = await getLiveSession(createDb(env.STATE_DB), await tokenHash(secret), new Date().toISOString());
  if (!session) {
    throw new BernsteinError("unauthorized", "the dashboard session has expired or was ended", {
      details: { fix: "Run `bernstein dashboard` for a new login link." },
    });
  }
  if (!SAFE_METHODS.has(request.method)) {
    const url = new URL(request.url);
    if (request.headers.get("origin") !== url.origin) {
      throw new BernsteinError("forbidden", "a cross-origin request cannot change anything with a dashboard session");
    }
    if (!SESSION_ACTION.test(url.pathname)) {
      throw new BernsteinError(
        "forbidden",
        "a dashboard session can only approve, reject, retry, cancel and add budget",
      );
    }
  }
  return { kind: "session", tokenId: null, name: "dashboard", lastUsedAt: null };
}

/** 32 random bytes, base64url. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
