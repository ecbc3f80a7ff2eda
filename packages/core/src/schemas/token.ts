import { z } from "zod";
import { IsoTime } from "./common.js";

/** `admin` reaches every route (CLI, monitor, dashboard); `runner` only the runner routes. */
export const TOKEN_SCOPES = ["admin", "runner"] as const;
export const TokenScope = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScope>;

/** The name of the stack's admin token. */
export const ADMIN_TOKEN_NAME = "admin";

export const TokenName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "token names are 1-64 letters, digits, '_', '.', '-'");

/** A token as `GET /v1/tokens` lists it: never its value, never its hash. */
export const TokenInfo = z.object({
  name: z.string(),
  scope: TokenScope,
  createdAt: IsoTime,
  /** The last request it made that succeeded (refused requests change nothing). */
  lastUsedAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

export const TokenList = z.object({ tokens: z.array(TokenInfo) });

/** `POST /v1/tokens`: a new runner token (admin tokens are only rotated). */
export const CreateTokenRequest = z.strictObject({ name: TokenName, scope: z.literal("runner") });

/** The answer of create and rotate: the only time the token's value is shown. */
export const CreatedToken = z.object({ name: z.string(), scope: TokenScope, token: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;
