import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { guardD1 } from "./guard-d1.js";
import * as schema from "./schema.js";

/** The Drizzle database every query function takes first. */
export type Db = DrizzleD1Database<typeof schema>;

/** A Drizzle database over `guardD1(d1)`, with the schema for `db.query.*`. */
export function createDb(d1: D1Database): Db {
  return drizzle(guardD1(d1), { schema });
}
