import { authorize } from "./auth.js";
import { accountOf, type StandInRouter } from "./context.js";
import { ApiFailure, fail, jsonBody, newId, ok } from "./envelope.js";
import type { StandInD1 } from "./runtime.js";
import { splitStatements } from "./sql-split.js";
import { type D1Record, now } from "./state.js";

const BASE = "/accounts/:account/d1/database";

/** D1: list, create, get, delete, and the query API that `d1 execute` and migrations use. */
export function d1Routes(router: StandInRouter): void {
  router.get(BASE, (request, context) => {
    authorize(context.caller, "d1:edit");
    const account = accountOf(request, context);
    const url = new URL(request.url);
    const name = url.searchParams.get("name");
    const perPage = Number(url.searchParams.get("per_page") ?? 100);
    const page = Number(url.searchParams.get("page") ?? 1);
    const all = [...account.databases.values()].filter((db) => !name || db.name === name);
    return ok(all.slice((page - 1) * perPage, page * perPage).map(view), {
      page,
      per_page: perPage,
      count: Math.min(perPage, Math.max(0, all.length - (page - 1) * perPage)),
      total_count: all.length,
    });
  });

  router.post(BASE, async (request, context) => {
    authorize(context.caller, "d1:edit");
    const account = accountOf(request, context);
    const body = await jsonBody<{ name?: string; primary_location_hint?: string; jurisdiction?: string }>(request);
    if (!body.name) fail(400, 7400, "The request is malformed: name is required");
    if ([...account.databases.values()].some((db) => db.name === body.name)) {
      fail(400, 7502, "A database with that name already exists");
    }
    const db: D1Record = {
      uuid: newId(true),
      name: body.name,
      created_at: now(),
      ...(body.jurisdiction ? { jurisdiction: body.jurisdiction } : {}),
      ...(body.primary_location_hint ? { locationHint: body.primary_location_hint } : {}),
    };
    account.databases.set(db.uuid, db);
    await context.runtime.refresh();
    return ok({ ...view(db), created_in_region: body.primary_location_hint?.toUpperCase() ?? "WEUR" });
  });

  router.get(`${BASE}/:id`, (request, context) => {
    authorize(context.caller, "d1:edit");
    return ok(view(database(request.params.id, accountOf(request, context).databases)));
  });

  router.delete(`${BASE}/:id`, async (request, context) => {
    authorize(context.caller, "d1:edit");
    const account = accountOf(request, context);
    const db = database(request.params.id, account.databases);
    account.databases.delete(db.uuid);
    await context.runtime.refresh();
    return ok(null);
  });

  router.post(`${BASE}/:id/query`, async (request, context) => {
    authorize(context.caller, "d1:edit");
    const db = database(request.params.id, accountOf(request, context).databases);
    const body = await jsonBody<{ sql?: string; params?: unknown[] }>(request);
    return ok(await query(await context.runtime.d1(db.uuid), body.sql ?? "", body.params ?? []));
  });
}

function view(db: D1Record) {
  return {
    uuid: db.uuid,
    name: db.name,
    version: "production",
    created_at: db.created_at,
    num_tables: 0,
    file_size: 0,
    ...(db.jurisdiction ? { jurisdiction: db.jurisdiction } : {}),
  };
}

function database(idOrName: string | undefined, databases: Map<string, D1Record>): D1Record {
  const db = databases.get(idOrName ?? "") ?? [...databases.values()].find((d) => d.name === idOrName);
  if (!db) fail(404, 7404, `The database ${idOrName} could not be found`);
  return db;
}

/** Runs the statements of `sql` as one batch (all or nothing, as D1 does), one result each. */
async function query(db: StandInD1, sql: string, params: unknown[]) {
  const statements = splitStatements(sql);
  if (statements.length === 0) fail(400, 7500, "No SQL statements were given");
  const started = Date.now();
  try {
    const prepared = statements.map((s, i) =>
      i === 0 && params.length > 0 ? db.prepare(s).bind(...params) : db.prepare(s),
    );
    const results = await db.batch(prepared);
    const duration = (Date.now() - started) / results.length;
    return results.map((r) => ({ results: r.results ?? [], success: true, meta: { ...r.meta, duration } }));
  } catch (error) {
    throw new ApiFailure(400, [{ code: 7500, message: `${(error as Error).message}: SQLITE_ERROR` }]);
  }
}
