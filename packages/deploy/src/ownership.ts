import { BernsteinError } from "@bernstein/core";
import { remoteQuery } from "./resources.js";
import type { WranglerContext } from "./wrangler.js";

/** The table that names the project a D1 database belongs to (written at its first deploy). */
export const OWNER_TABLE = "bernstein_project";

/**
 * Makes sure the D1 database belongs to this project before anything is migrated into it: an
 * empty database is claimed (the owner table is written), one that names this project is
 * reused, anything else is refused with `resource_conflict`.
 */
export async function claimDatabase(context: WranglerContext, database: string, project: string): Promise<void> {
  const tables = await remoteQuery<{ name: string }>(
    context,
    database,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  );
  const names = tables.map((t) => t.name);
  if (names.includes(OWNER_TABLE)) {
    const owners = await remoteQuery<{ name: string }>(context, database, `SELECT name FROM ${OWNER_TABLE}`);
    const owner = owners[0]?.name;
    if (owner === project) return;
    throw conflict(database, `it belongs to project "${owner ?? "(none)"}"`, project);
  }
  if (names.length > 0) {
    throw conflict(database, `it already holds tables (${names.slice(0, 3).join(", ")}) and no project name`, project);
  }
  await remoteQuery(
    context,
    database,
    `CREATE TABLE ${OWNER_TABLE} (name TEXT NOT NULL); INSERT INTO ${OWNER_TABLE} (name) VALUES ('${project}')`,
  );
}

function conflict(database: string, why: string, project: string): BernsteinError {
  return new BernsteinError("resource_conflict", `D1 database ${database} is not this project's: ${why}`, {
    details: {
      fix: `Choose another project name (--project ${project}-2), or delete that database if it is unused (\`wrangler d1 delete ${database}\`), then deploy again.`,
    },
  });
}
