import { STACK, type WorkerKey } from "./stack.js";

/**
 * The SQLite-backed Durable Object classes a Worker exports after all its migrations ran
 * (created by `new_sqlite_classes`, renamed, not deleted).
 */
export function sqliteClasses(owner: WorkerKey): Set<string> {
  const classes = new Set<string>();
  for (const migration of STACK.workers[owner].migrations) {
    for (const name of migration.new_sqlite_classes ?? []) classes.add(name);
    for (const { from, to } of migration.renamed_classes ?? []) {
      if (classes.delete(from)) classes.add(to);
    }
    for (const name of migration.deleted_classes ?? []) classes.delete(name);
  }
  return classes;
}
