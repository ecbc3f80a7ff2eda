import { ADMIN_TOKEN_NAME, BernsteinError, CreateTokenRequest, TokenName, type TokenScope } from "@bernstein/core";
import { createDb, getLiveToken, insertToken, listTokens, replaceToken, revokeToken } from "@bernstein/db";
import { idParam } from "../http/body.js";
import { forgetTokens } from "../http/principal.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { newToken, sha256Hex } from "../http/token-hash.js";
import { auditTokenChange } from "./token-audit.js";

const PREFIX: Record<TokenScope, string> = { admin: "bst_", runner: "bst_runner_" };

async function tokenRow(name: string, scope: TokenScope) {
  const token = newToken(PREFIX[scope]);
  const tokenHash = await sha256Hex(token);
  const row = {
    id: `tk_${tokenHash.slice(0, 12)}`,
    name,
    scope,
    tokenHash,
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  return { token, row };
}

/** Token administration (admin only). Values are shown once, by create and rotate; D1 holds hashes. */
export const tokenRoutes: Route[] = [
  route({
    method: "GET",
    path: "/v1/tokens",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const all = request.query.all;
      if (all !== undefined && all !== "1" && all !== "true")
        throw new BernsteinError("bad_request", "all takes 1 or true");
      return { tokens: await listTokens(createDb(env.STATE_DB), { all: all !== undefined }) };
    },
  }),

  route({
    method: "POST",
    path: "/v1/tokens",
    access: "admin",
    body: jsonBody(CreateTokenRequest, 16 * 1024),
    async handler({ env, body }) {
      if (body.name === ADMIN_TOKEN_NAME) {
        throw new BernsteinError("conflict", `"${ADMIN_TOKEN_NAME}" names the admin token; choose another name`);
      }
      const { token, row } = await tokenRow(body.name, body.scope);
      await insertToken(createDb(env.STATE_DB), row).catch((error: unknown) => {
        if (error instanceof BernsteinError && error.code === "conflict") {
          throw new BernsteinError(
            "conflict",
            `a token named "${body.name}" exists; revoke it first or pick another name`,
          );
        }
        throw error;
      });
      await auditTokenChange(env, "token.create", { name: body.name, scope: body.scope });
      return Response.json({ name: body.name, scope: body.scope, token }, { status: 201 });
    },
  }),

  /** Revokes a token; it is refused from the next request on. The admin token is rotated, not revoked. */
  route({
    method: "POST",
    path: "/v1/tokens/:name/revoke",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const name = idParam(TokenName, request.params.name, "token");
      if (name === ADMIN_TOKEN_NAME) {
        throw new BernsteinError(
          "conflict",
          "the admin token cannot be revoked (the stack would lock you out); rotate it",
        );
      }
      const now = new Date().toISOString();
      if (!(await revokeToken(createDb(env.STATE_DB), name, now))) {
        throw new BernsteinError("not_found", `no live token named "${name}"`);
      }
      forgetTokens();
      await auditTokenChange(env, "token.revoke", { name });
      return { name, revokedAt: now };
    },
  }),

  /** A new value for a token (the old one is refused from now on): `tokens rotate --admin`. */
  route({
    method: "POST",
    path: "/v1/tokens/:name/rotate",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const name = idParam(TokenName, request.params.name, "token");
      const db = createDb(env.STATE_DB);
      const current = await getLiveToken(db, name);
      // The admin token may not be stored yet (a fresh deploy's bootstrap secret): rotating stores it.
      if (!current && name !== ADMIN_TOKEN_NAME) throw new BernsteinError("not_found", `no live token named "${name}"`);
      const scope = current?.scope ?? "admin";
      const { token, row } = await tokenRow(name, scope);
      await replaceToken(db, row);
      forgetTokens();
      await auditTokenChange(env, "token.rotate", { name, scope });
      return Response.json({ name, scope, token }, { status: 201 });
    },
  }),
];
