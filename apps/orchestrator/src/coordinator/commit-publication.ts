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
export interface PublicationDeps {
  stream: EventStream;
  /** The coordinator's queue: the seal runs as its next operation. */
  queue: SerialQueue;
  rows: RunStore;
  store: () => ArtifactStore;
  auditKey: string;
}

/**
 * Publishes each commit: its events to live subscribers, in commit order, each once the drains
 * it must wait for are done (`shownAfter`: a change that must reach D1 first is shown only
 * once it did, so a task seen in the stream is one `GET /v1/tasks/:id` finds). Once the run
 * ended, the subscriptions close and its chain is sealed in R2; links added after that (a late
 * report) re-seal it. The seal is queued at once as the next operation of the queue, so the
 * caller is answered first, and every later change (and `auditHead`, which verification asks
 * first) comes after it. It is read from the coordinator's SQLite, which holds every committed
 * link (D1 may lag the drain).
 */
export class Publication {
  private shown: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PublicationDeps) {}

  publish(events: readonly RunEvent[], tx: Tx, state: LoadedRun, shownAfter: Promise<void>): void {
    const ended = isTerminalRunStatus(state.run.status);
    const { stream } = this.deps;
    this.shown = Promise.all([this.shown, shownAfter]).then(() => {
      stream.publish(events);
      if (ended) stream.closeAll();
    });
    if (ended && tx.auditCount > 0) this.seal(state.run.id, tx.now);
  }

  private seal(runId: string, sealedAt: string): void {
    const { queue, store, auditKey, rows } = this.deps;
    queue
      .run(() => sealAudit(store(), auditKey, runId, rows.auditChain(), sealedAt))
      .catch((error: unknown) => logger.error("could not seal the audit chain", error, { runId }));
  }
}
