import { through } from "./bind-through.js";
import { bump, counts } from "./counts.js";

const STUB_GETTERS = new Set(["get", "getByName", "getExisting"]);

/**
 * A Durable Object stub whose calls (RPC methods, `fetch`) are counted as requests. A stub's
 * property is itself a stub (`stub.create.bind` would be an RPC call), so its methods are called
 * with `Reflect.apply`, never through a property of theirs.
 */
function meterStub<T extends object>(stub: T): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const objects = counts().durableObjects;
        objects.requests += 1;
        bump(objects.requestsByMethod, prop);
        return Reflect.apply(value, target, args);
      };
    },
  });
}

/** A Durable Object namespace whose stubs count their calls. */
export function meterNamespace<T extends object>(namespace: T): T {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = through(target, prop);
      if (typeof prop !== "string" || !STUB_GETTERS.has(prop) || typeof value !== "function") return value;
      const call = value as (...args: unknown[]) => object;
      return (...args: unknown[]) => meterStub(call(...args));
    },
  });
}

const KV_READS = new Set(["get", "list", "getAlarm"]);
const KV_WRITES = new Set(["put", "delete", "deleteAll", "setAlarm", "deleteAlarm"]);

/** Cursors of SQL statements not yet read back: their row counts grow while they are consumed. */
let pending: { cursor: SqlStorageCursor<Record<string, SqlStorageValue>>; read: number; written: number }[] = [];

/**
 * Adds the rows of the cursors handed out so far. A cursor's `rowsRead`/`rowsWritten` are final
 * once it is consumed, which the coordinator does right after `exec` (synchronously, one object
 * at a time): they are taken at the next `exec`, and before the counters are read.
 */
export function settleSqlCursors(): void {
  const objects = counts().durableObjects;
  for (const entry of pending) {
    objects.sqlRowsRead += entry.cursor.rowsRead - entry.read;
    objects.sqlRowsWritten += entry.cursor.rowsWritten - entry.written;
  }
  pending = [];
}

function meterSql(sql: SqlStorage): SqlStorage {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop !== "exec") return through(target, prop);
      return (query: string, ...bindings: unknown[]) => {
        settleSqlCursors();
        const cursor = target.exec(query, ...bindings);
        counts().durableObjects.sqlStatements += 1;
        pending.push({ cursor, read: 0, written: 0 });
        return cursor;
      };
    },
  });
}

function meterStorage(storage: DurableObjectStorage): DurableObjectStorage {
  const sql = meterSql(storage.sql);
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === "sql") return sql;
      const value = through(target, prop);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      const objects = counts().durableObjects;
      const call = value as (...args: unknown[]) => unknown;
      if (KV_READS.has(prop)) {
        return (...args: unknown[]) => {
          objects.kvReads += 1;
          return call(...args);
        };
      }
      if (KV_WRITES.has(prop)) {
        return (...args: unknown[]) => {
          objects.kvWrites += 1;
          return call(...args);
        };
      }
      return value;
    },
  });
}

/**
 * Makes `ctx.storage` of a Durable Object count its SQL rows and KV-style calls. The state
 * object itself must be the runtime's (the DurableObject base refuses anything else), so the
 * storage is shadowed by an own property of it.
 */
export function meterState(ctx: DurableObjectState): void {
  Object.defineProperty(ctx, "storage", { value: meterStorage(ctx.storage), configurable: true });
}
