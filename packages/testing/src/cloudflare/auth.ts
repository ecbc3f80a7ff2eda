import { ApiFailure } from "./envelope.js";

/**
 * What a token may do, after Cloudflare's permission groups: read the user and memberships,
 * edit Workers scripts (and their Workflows, secrets, subdomain), edit D1, edit R2.
 */
export type Permission = "user:read" | "account:read" | "workers:edit" | "d1:edit" | "r2:edit";
export const ALL_PERMISSIONS: readonly Permission[] = [
  "user:read",
  "account:read",
  "workers:edit",
  "d1:edit",
  "r2:edit",
];

/** What a request presented: no token, an unknown one, or a known one with its permissions. */
export type Caller = { kind: "none" } | { kind: "unknown" } | { kind: "token"; permissions: readonly Permission[] };

/** The caller of a request, from `Authorization: Bearer <token>`. */
export function callerOf(request: Request, tokens: ReadonlyMap<string, readonly Permission[]>): Caller {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)$/.exec(header) : null;
  if (!match) return { kind: "none" };
  const permissions = tokens.get(match[1] as string);
  return permissions ? { kind: "token", permissions } : { kind: "unknown" };
}

/** Refuses like the real API: 401 without a valid token, 403 with one that lacks `needed`. */
export function authorize(caller: Caller, needed: Permission): void {
  if (caller.kind === "none") {
    throw new ApiFailure(401, [{ code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }]);
  }
  if (caller.kind === "unknown") {
    throw new ApiFailure(401, [{ code: 10001, message: "Unable to authenticate request" }]);
  }
  if (!caller.permissions.includes(needed)) {
    throw new ApiFailure(403, [{ code: 10000, message: "Authentication error" }]);
  }
}
