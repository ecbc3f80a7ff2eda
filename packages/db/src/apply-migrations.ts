import { MIGRATIONS } from "./migrations.generated.js";

/** One migration: the SQL file's name (as wrangler records it) and its statements. */
export interface Migration {
  name: string;
  queries: string[];
}

/**
 * The part of a D1 database that migrating needs. Structural, so Node code (the local stack
 * applies migrations through Miniflare's D1 proxy) can call this without Workers' globals.
 */
export interface MigrationDatabase {
  prepare(query: string): MigrationStatement;
  batch(statements: MigrationStatement[]): Promise<unknown>;
}

export interface MigrationStatement {
  bind(...values: unknown[]): MigrationStatement;
  run(): Promise<unknown>;
  all<T>(): Promise<{ results: T[] }>;
}

/** Wrangler's bookkeeping table, created exactly as `wrangler d1 migrations apply` creates it. */
export const MIGRATIONS_TABLE = "d1_migrations";

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

/**
 * Applies the migrations not yet recorded in `d1_migrations`, in order, each in one batch
 * (its statements and its record commit together), and returns the names it applied.
 * Running it again applies nothing; wrangler sees the same migrations as applied.
 */
export async function applyMigrations(
  db: MigrationDatabase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  await db.prepare(CREATE_MIGRATIONS_TABLE).run();
  const applied = await appliedNames(db);
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    try {
      await db.batch([
        ...migration.queries.map((query) => db.prepare(query)),
        db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`).bind(migration.name),
      ]);
    } catch (error) {
      // Another isolate (the orchestrator and the agent start together) may have won the race.
      if ((await appliedNames(db)).has(migration.name)) continue;
      throw error;
    }
    done.push(migration.name);
  }
  return done;
}

async function appliedNames(db: MigrationDatabase): Promise<Set<string>> {
  const { results } = await db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all<{ name: string }>();
  return new Set(results.map((row) => row.name));
}
