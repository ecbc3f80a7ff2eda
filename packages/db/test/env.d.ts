declare namespace Cloudflare {
  interface Env {
    /** Migrated by test/setup.ts with our own `applyMigrations`. */
    STATE_DB: D1Database;
    /** Empty: for `applyMigrations` from scratch. */
    SCRATCH_DB: D1Database;
    /** Empty: for the pool's (wrangler's) own migration path. */
    WRANGLER_DB: D1Database;
    /** Empty: migrated step by step, with rows in between. */
    UPGRADE_DB: D1Database;
    /** `readD1Migrations("./drizzle")`: ./drizzle as wrangler splits it. */
    TEST_MIGRATIONS: { name: string; queries: string[] }[];
  }
}
