import { guardD1 } from "./guard-d1.js";
import { MIGRATIONS } from "./migrations.generated.js";

/** One migration: the SQL file's name (as wrangler records it) and its statements. */
export interface Migration {
  name: string;
  queries: string[];
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
  d1: D1Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const db = guardD1(d1);
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

async function appliedNames(db: D1Database): Promise<Set<string>> {
  const { results } = await db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all<{ name: string }>();
  return new Set(results.map((row) => row.name));
}
