import { emptyMeterCounts, type MeterCounts } from "@bernstein/core";

// One set of counters per isolate: each Worker bundles its own copy of this module.
const current: MeterCounts = emptyMeterCounts("unknown");

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
