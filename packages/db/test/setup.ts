import { env } from "cloudflare:workers";
import { applyMigrations, MIGRATIONS } from "../src/index.js";

// Our own migrator, not the pool's applyD1Migrations: the tests exercise what the product runs.
await applyMigrations(env.STATE_DB, MIGRATIONS);
