import type { AuditEvent, CostEvent, RunEvent } from "@bernstein/core";
import { ROWS } from "@bernstein/db";
import { type CoordinatorMemory, emptyMemory } from "../memory.js";
import type { StoredRun } from "./run-store.js";

/** Rows one D1 read of an import returns at most (D1 answers are size-limited). */
const PAGE = 1_000;
/** Where the coordinator kept its memory and feedback before runs lived in its SQLite. */
const LEGACY_MEMORY_KEY = (runId: string) => `memory:${runId}`;
const LEGACY_FEEDBACK_PREFIX = "feedback:";

/** A run as D1 and the object's key-value storage held it before its state moved to SQLite. */
export interface ImportedRun extends StoredRun {
  events: RunEvent[];
  audits: AuditEvent[];
  costs: CostEvent[];
  feedback: Map<string, string>;
}

/**
 * Reads a run made before the coordinator kept its state in its own SQLite: its rows from D1
 * (then the run's only store) and the memory and feedback the coordinator kept in its
 * key-value storage. Null when D1 has no such run.
 */
export async function readRunFromD1(
  d1: D1Database,
  storage: DurableObjectStorage,
  runId: string,
): Promise<ImportedRun | null> {
  const runRow = await d1.prepare("SELECT * FROM runs WHERE id = ?").bind(runId).first<Record<string, unknown>>();
  if (!runRow) return null;
  const ofRun = async <R extends Record<string, unknown>>(
    rows: { fromDriver(raw: Record<string, unknown>): R },
    table: string,
  ): Promise<R[]> => {
    const out: R[] = [];
    for (let after = 0; ; ) {
      const { results } = await d1
        .prepare(`SELECT rowid AS _rowid, * FROM ${table} WHERE run_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`)
        .bind(runId, after, PAGE)
        .all<Record<string, unknown>>();
      out.push(...results.map((raw) => rows.fromDriver(raw)));
      if (results.length < PAGE) return out;
      after = Number(results.at(-1)?._rowid);
    }
  };
  const [tasks, attempts, jobs, events, audits, costs] = await Promise.all([
    ofRun(ROWS.tasks, "tasks"),
    ofRun(ROWS.attempts, "attempts"),
    ofRun(ROWS.jobs, "jobs"),
    ofRun(ROWS.events, "events"),
    ofRun(ROWS.auditEvents, "audit_events"),
    ofRun(ROWS.costEvents, "cost_events"),
  ]);
  events.sort((a, b) => a.seq - b.seq);
  audits.sort((a, b) => a.seq - b.seq);
  const kept = await storage.get<Partial<CoordinatorMemory>>(LEGACY_MEMORY_KEY(runId));
  const memory: CoordinatorMemory = { ...emptyMemory(), ...kept };
  // The chain goes on from its last link in D1, which is where the old coordinator wrote it.
  const lastAudit = audits.at(-1);
  if (lastAudit) memory.audit = { seq: lastAudit.seq, hmac: lastAudit.hmac };
  const feedback = new Map<string, string>();
  for (const [key, text] of await storage.list<string>({ prefix: LEGACY_FEEDBACK_PREFIX })) {
    feedback.set(key.slice(LEGACY_FEEDBACK_PREFIX.length), text);
  }
  return {
    run: ROWS.runs.fromDriver(runRow),
    tasks,
    attempts,
    jobs,
    events,
    audits,
    costs,
    lastSeq: events.at(-1)?.seq ?? 0,
    memory: JSON.stringify(memory),
    feedback,
  };
}
