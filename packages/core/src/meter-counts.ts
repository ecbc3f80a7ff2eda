/** Where a metered Worker answers its counters (only while `BERNSTEIN_METER` is "1"; see @bernstein/meter). */
export const METER_PATH = "/__meter";

/** What one Worker's isolate counted since it started (ARCHITECTURE's Cloudflare pieces, as billed). */
export interface MeterCounts {
  /** The Worker these counts are of (`orchestrator`, `agent`). */
  worker: string;
  /** Invocations of the Worker's default export, by handler (the meter's own route excluded). */
  invocations: Record<string, number>;
  workflows: {
    /** `run()` invocations of the Worker's Workflow classes (first runs and replays after a wake). */
    runs: number;
    /** `step.do` calls, of which the callback ran (`firstRuns`) or the stored result came back (`replays`). */
    stepCalls: number;
    stepFirstRuns: number;
    stepReplays: number;
    /** Callback executions, retries included. */
    stepAttempts: number;
    sleeps: number;
    waits: number;
  };
  durableObjects: {
    /** Calls on Durable Object stubs made from this Worker (RPC methods and `fetch`): each is a billed request. */
    requests: number;
    requestsByMethod: Record<string, number>;
    /** Alarm invocations of the Durable Objects this Worker exports. */
    alarms: number;
    /** `ctx.storage.sql.exec` calls and the rows their cursors report. */
    sqlStatements: number;
    sqlRowsRead: number;
    sqlRowsWritten: number;
    /** KV-style storage calls (`get`/`list`/`getAlarm`; `put`/`delete`/`setAlarm`/...). */
    kvReads: number;
    kvWrites: number;
  };
  d1: {
    /** Round trips to D1 (one per `run`/`all`/`raw`/`first`, `batch` or `exec`). */
    queries: number;
    /** Statements in them, and the rows read and written as D1's `meta` reports them. */
    statements: number;
    rowsRead: number;
    rowsWritten: number;
  };
  r2: {
    /** Class A: put, list, multipart create/uploadPart/complete. Class B: get, head. Free: delete, abort. */
    classA: number;
    classB: number;
    free: number;
    byOperation: Record<string, number>;
  };
}

/** Counts of nothing yet, for `worker`. */
export function emptyMeterCounts(worker: string): MeterCounts {
  return {
    worker,
    invocations: {},
    workflows: { runs: 0, stepCalls: 0, stepFirstRuns: 0, stepReplays: 0, stepAttempts: 0, sleeps: 0, waits: 0 },
    durableObjects: {
      requests: 0,
      requestsByMethod: {},
      alarms: 0,
      sqlStatements: 0,
      sqlRowsRead: 0,
      sqlRowsWritten: 0,
      kvReads: 0,
      kvWrites: 0,
    },
    d1: { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 },
    r2: { classA: 0, classB: 0, free: 0, byOperation: {} },
  };
}
