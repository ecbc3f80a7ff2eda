import { counts } from "./counts.js";

interface D1Fetcher {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

interface D1Meta {
  rows_read?: number;
  rows_written?: number;
}

/**
 * A D1 binding that counts every statement with the rows D1 reports for it. The count is taken
 * at the binding's wire: workerd's D1 client (the binding's own class, built again over a
 * counting `fetcher`) sends every `run`/`all`/`first`/`raw`, `batch` and `exec` through one
 * fetch whose JSON answer carries each statement's `meta`, which `raw()` (Drizzle's selects)
 * drops before it returns. The statements themselves go unchanged.
 */
export function meterD1(db: D1Database): D1Database {
  const inner = (db as unknown as { fetcher?: D1Fetcher }).fetcher;
  const D1Class = Object.getPrototypeOf(db)?.constructor as (new (fetcher: D1Fetcher) => D1Database) | undefined;
  if (!inner || typeof inner.fetch !== "function" || typeof D1Class !== "function") {
    throw new Error("meter: this D1 binding has no fetcher to count at; run without BERNSTEIN_METER");
  }
  const fetcher: D1Fetcher = {
    async fetch(input, init) {
      const response = await inner.fetch(input, init);
      if (!(response.headers.get("content-type") ?? "").includes("json")) return response;
      const text = await response.text();
      countD1Answer(text);
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  };
  return new D1Class(fetcher);
}

/** Adds one D1 answer (one statement's result or a batch's list of them) to the counters. */
export function countD1Answer(text: string): void {
  const d1 = counts().d1;
  d1.queries += 1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return; // not a result (an error page): D1 counted nothing either
  }
  for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
    const meta = (result as { meta?: D1Meta } | null)?.meta;
    if (!meta) continue;
    d1.statements += 1;
    d1.rowsRead += meta.rows_read ?? 0;
    d1.rowsWritten += meta.rows_written ?? 0;
  }
}
