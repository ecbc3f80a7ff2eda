/**
 * API tokens (issue 15): the admin token and runner tokens, stored only as SHA-256 hashes.
 * In a file of its own beside `schema.ts` (drizzle-kit reads `src/schema*.ts`).
 */
import type { TokenScope } from "@bernstein/core";
import { sql } from "drizzle-orm";
import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tokens = sqliteTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    /** Unique among the tokens not revoked; `admin` names the admin token. */
    name: text("name").notNull(),
    scope: text("scope").$type<TokenScope>().notNull(),
    /** SHA-256 (hex) of the token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    createdAt: text("created_at").notNull(),
    /** The last request it made that succeeded. */
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    uniqueIndex("tokens_token_hash_idx").on(t.tokenHash),
    uniqueIndex("tokens_active_name_idx").on(t.name).where(sql`${t.revokedAt} is null`),
  ],
);

export type TokenRow = typeof tokens.$inferSelect;
