import type { ArtifactStore } from "@bernstein/artifacts";
import { isTerminalRunStatus, type RunEvent } from "@bernstein/core";
import { sealAudit } from "../audit/seal.js";
import { logger } from "../logger.js";
import type { Tx } from "./context.js";
import type { EventStream } from "./event-stream.js";
import type { LoadedRun } from "./loaded-run.js";
import type { SerialQueue } from "./serial-queue.js";
import type { RunStore } from "./store/run-store.js";

/** What publishing a commit reaches: live subscribers, and, once the run ended, its sealed chain. */
export interface Publication {
  stream: EventStream;
  /** The coordinator's queue: the seal runs as its next operation. */
  queue: SerialQueue;
  rows: RunStore;
  store: () => ArtifactStore;
  auditKey: string;
}

/**
 * Publishes a commit's events to live subscribers. Once the run ended, the subscriptions close
 * and its chain is sealed in R2; links added after that (a late report) re-seal it. The seal is
 * the next operation of the queue, so the caller is answered first, and every later change (and
 * `auditHead`, which verification asks first) comes after it. It is read from the coordinator's
 * SQLite, which holds every committed link (D1 may lag the drain).
 */
export function publishCommit(p: Publication, events: readonly RunEvent[], tx: Tx, state: LoadedRun): void {
  p.stream.publish(events);
  if (!isTerminalRunStatus(state.run.status)) return;
  p.stream.closeAll();
  if (tx.auditCount > 0) {
    const runId = state.run.id;
    const sealedAt = tx.now;
    p.queue
      .run(() => sealAudit(p.store(), p.auditKey, runId, p.rows.auditChain(), sealedAt))
      .catch((error: unknown) => logger.error("could not seal the audit chain", error, { runId }));
  }
}
