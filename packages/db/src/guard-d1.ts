import { BernsteinError, LIMITS } from "@bernstein/core";

/** Wrapped statement -> the D1 statement it wraps, so `batch()` hands D1 its own objects. */
const innerStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

/**
 * Wraps a D1 binding so local runs fail where Cloudflare would: a statement bound with more
 * than 100 parameters throws `too_many_parameters`, a `batch()` of more than 1,000 statements
 * throws `limit_exceeded`. Local D1 (workerd) runs a batch of any size, so without this a
 * write that works in `bernstein dev` could fail only after `cloud deploy`; it does reject a
 * 101st parameter, but only when the statement runs and with an untyped error. Everything else
 * (first/all/run/raw, exec, dump, withSession) passes through.
 */
export function guardD1(d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => guardStatement(target.prepare(query), query);
      if (prop === "batch") return guardedBatch(target);
      if (prop === "withSession" && typeof target.withSession === "function") {
        return (constraintOrBookmark?: string) => guardSession(target.withSession(constraintOrBookmark));
      }
      return passThrough(target, prop);
    },
  });
}

function guardSession(session: D1DatabaseSession): D1DatabaseSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => guardStatement(target.prepare(query), query);
      if (prop === "batch") return guardedBatch(target);
      return passThrough(target, prop);
    },
  });
}

function guardStatement(stmt: D1PreparedStatement, query: string): D1PreparedStatement {
  const guarded = new Proxy(stmt, {
    get(target, prop) {
      if (prop === "bind") {
        return (...values: unknown[]) => {
          assertParameterCount(values.length, query);
          return guardStatement(target.bind(...values), query);
        };
      }
      return passThrough(target, prop);
    },
  });
  innerStatements.set(guarded, stmt);
  return guarded;
}

function guardedBatch(target: Pick<D1Database, "batch">): D1Database["batch"] {
  return (statements) => {
    const max = LIMITS.d1MaxStatementsPerInvocation;
    if (statements.length > max) {
      throw new BernsteinError(
        "limit_exceeded",
        `a D1 batch may hold at most ${max} statements, got ${statements.length}`,
        { details: { limit: max, count: statements.length } },
      );
    }
    return target.batch(statements.map((stmt) => innerStatements.get(stmt) ?? stmt));
  };
}

/** Throws `too_many_parameters` when a statement binds more than D1 allows. */
export function assertParameterCount(count: number, query = ""): void {
  const max = LIMITS.d1MaxBoundParameters;
  if (count > max) {
    throw new BernsteinError("too_many_parameters", `a D1 statement may bind at most ${max} parameters, got ${count}`, {
      details: { limit: max, count, sql: query.slice(0, 200) },
    });
  }
}

// Methods are bound to the real object: D1's classes keep their state in private fields.
function passThrough(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop);
  return typeof value === "function" ? value.bind(target) : value;
}
