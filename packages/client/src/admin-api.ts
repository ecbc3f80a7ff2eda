import {
  AuditVerifyResponse,
  CreatedToken,
  parseWith,
  type TokenInfo,
  TokenList,
  type TokenScope,
} from "@bernstein/core";
import { z } from "zod";
import type { Transport } from "./transport.js";

const Revoked = z.object({ name: z.string(), revokedAt: z.string() });

/** Tokens and the audit chain (admin token only). */
export interface AdminApi {
  /** `GET /v1/tokens[?all=1]`: names, scopes and last use, never values. */
  listTokens(options?: { all?: boolean }): Promise<TokenInfo[]>;
  /** `POST /v1/tokens {name, scope}`: a new token, whose value this answer shows once. */
  createToken(name: string, scope: z.infer<typeof TokenScope>): Promise<CreatedToken>;
  /** `POST /v1/tokens/:name/revoke`: refused from the next request on. */
  revokeToken(name: string): Promise<{ name: string; revokedAt: string }>;
  /** `POST /v1/tokens/:name/rotate`: a new value (the old one stops working); `admin` rotates the admin token. */
  rotateToken(name: string): Promise<CreatedToken>;
  /** `POST /v1/audit/verify {runId?}`: checks chains and seals in the stack (the key never leaves it). */
  verifyAudit(runId?: string): Promise<AuditVerifyResponse>;
  /** `GET /v1/audit/:run`: the run's chain as JSON lines (the sealed file once sealed). */
  exportAudit(runId: string): Promise<string>;
}

export function adminApi(http: Transport): AdminApi {
  const id = encodeURIComponent;
  const parse = <S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> =>
    parseWith(schema, body, "internal", `response of ${what}`);
  return {
    async listTokens(options = {}) {
      const path = options.all ? "/v1/tokens?all=1" : "/v1/tokens";
      return parse(TokenList, await http.json("GET", path), "GET /v1/tokens").tokens;
    },
    async createToken(name, scope) {
      return parse(CreatedToken, await http.json("POST", "/v1/tokens", { json: { name, scope } }), "POST /v1/tokens");
    },
    async revokeToken(name) {
      return parse(Revoked, await http.json("POST", `/v1/tokens/${id(name)}/revoke`), "POST /v1/tokens/:name/revoke");
    },
    async rotateToken(name) {
      return parse(
        CreatedToken,
        await http.json("POST", `/v1/tokens/${id(name)}/rotate`),
        "POST /v1/tokens/:name/rotate",
      );
    },
    async verifyAudit(runId) {
      const body = runId === undefined ? {} : { runId };
      return parse(
        AuditVerifyResponse,
        await http.json("POST", "/v1/audit/verify", { json: body }),
        "POST /v1/audit/verify",
      );
    },
    async exportAudit(runId) {
      const response = await http.send("GET", `/v1/audit/${id(runId)}`, { accept: "application/x-ndjson" });
      return response.text();
    },
  };
}
