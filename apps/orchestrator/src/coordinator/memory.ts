import { type AttemptDecision, AUDIT_GENESIS, type DecisionEvent } from "@bernstein/core";
import type { ModelOutage } from "./model-availability.js";

/** An attempt in the merge queue. The head is verified (if the run verifies) and merged. */
export interface QueueEntry {
  instanceId: string;
  taskId: string;
  /** The candidate job in flight for the head, if any. */
  jobId: string | null;
  /**
   * The candidate under judgement: its tree, the integration tree it was built on (whose
   * baseline it is judged against), and its result's R2 key once a runner posted it.
   */
  check?: { manifest: string; base: string; resultKey: string | null } | null;
  /** The candidate tree that passed verification (merge it while the integration tree is unchanged). */
  verified: string | null;
  /** The R2 key of that candidate's result: the checks of its tree once merged. */
  verifiedKey?: string | null;
  /** The user approved it (approval-required tasks re-enter the queue once approved). */
  approved: boolean;
  /** The event its workflow waits for; null while it is submitting (the decision is its answer). */
  waitingFor: DecisionEvent | null;
}

/** What the coordinator keeps about a run beyond its D1 rows, in its own durable storage. */
export interface CoordinatorMemory {
  queue: QueueEntry[];
  /** Verified attempts waiting for approval, by task. */
  approvals: Record<string, QueueEntry>;
  /** Instances waiting for a `budget` event. */
  parked: string[];
  /** Reserved worst-case cost of model calls in flight, by `<instance>/<step>`. */
  reservations: Record<string, number>;
  /** The `max_tokens` each reservation was sized to, by the same key (absent in older memory). */
  reservedTokens?: Record<string, number>;
  /** Patch hashes and failure signatures of a task's failed attempts (no-progress detection). */
  progress: Record<string, { patches: string[]; failures: string[] }>;
  /** Attempts a task had when the user last retried it: only later attempts count as retries. */
  retryBase: Record<string, number>;
  budgetWarned: boolean;
  /** The latest decision about each submitted attempt still running: a restarted workflow asks for it. */
  decisions: Record<string, AttemptDecision>;
  /** The stack boot that last started each running workflow instance (see `resume.ts`). */
  boots: Record<string, string>;
  /** The audit chain's last link. */
  audit: { seq: number; hmac: string };
  /**
   * Verification results of trees by manifest hash: a baseline job in flight (`jobId`), or the
   * R2 key of the result (`resultKey`). Each tree is checked once.
   */
  trees: Record<string, { jobId: string | null; resultKey: string | null }>;
  /** The run's model has been failing since (absent while it answers; see `model-availability.ts`). */
  outage?: ModelOutage;
}

export function emptyMemory(): CoordinatorMemory {
  return {
    queue: [],
    approvals: {},
    parked: [],
    reservations: {},
    progress: {},
    retryBase: {},
    budgetWarned: false,
    decisions: {},
    boots: {},
    audit: { seq: 0, hmac: AUDIT_GENESIS },
    trees: {},
  };
}

/**
 * A copy to draft changes on, from the memory's JSON as last written (`LoadedRun.memoryJson`,
 * which the coordinator keeps anyway to write the memory only when it changed). The memory is
 * plain JSON data, and parsing its text costs less than `structuredClone` of the object.
 */
export function cloneMemory(memoryJson: string): CoordinatorMemory {
  return JSON.parse(memoryJson) as CoordinatorMemory;
}

/** The stored memory document (older documents lack the newer fields). */
export function parseMemory(json: string): CoordinatorMemory {
  return { ...emptyMemory(), ...(JSON.parse(json) as Partial<CoordinatorMemory>) };
}
