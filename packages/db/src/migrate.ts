// Entry point `@bernstein/db/migrate`: migrating without the Workers globals the rest of the
// package uses, so Node code (the local stack) can import it.

export { ensureAdminToken } from "./admin-token.js";
export {
  applyMigrations,
  MIGRATIONS_TABLE,
  type Migration,
  type MigrationDatabase,
  type MigrationStatement,
} from "./apply-migrations.js";
export { MIGRATIONS } from "./migrations.generated.js";
