import type { MeterCounts } from "@bernstein/core";

function emptyCounts(worker: string): MeterCounts {
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

// One set of counters per isolate: each Worker bundles its own copy of this module.
const current: MeterCounts = emptyCounts("unknown");

/** The counters of this isolate (the wrappers add to them). */
export function counts(): MeterCounts {
  return current;
}

/** Names the Worker the counters belong to (the entry's wrapper does, once). */
export function nameWorker(worker: string): void {
  if (current.worker === "unknown") current.worker = worker;
}

/** Adds one to a counter of a by-name table. */
export function bump(table: Record<string, number>, key: string, by = 1): void {
  table[key] = (table[key] ?? 0) + by;
}
