/**
 * The dashboard's sign-in state (its own file, next to `schema.ts`; drizzle-kit reads both).
 * Only SHA-256 hashes of the secrets are stored: a stolen row opens nothing.
 */
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One-time codes of the login links that `bernstein dashboard` prints. */
export const loginCodes = sqliteTable(
  "login_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    /** The run the link lands on; null for the runs list. */
    runId: text("run_id"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    /** Set by the one exchange the code allows. */
    usedAt: text("used_at"),
  },
  (t) => [index("login_codes_expires_at_idx").on(t.expiresAt)],
);

/** Browser sessions of the dashboard (the cookie holds the secret). */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt)],
);

export type LoginCodeRow = typeof loginCodes.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
