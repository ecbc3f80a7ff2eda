import type { Job } from "@bernstein/core";
import { logger } from "../logger.js";
import { yieldToIo } from "../yield-to-io.js";
import type { Alarms } from "./store/alarms.js";
import type { ReadModel } from "./store/read-model.js";
import type { RunStore } from "./store/run-store.js";

/** How long after a commit the alarm drains the outbox, if the drain after it did not. */
const READ_MODEL_RETRY_MS = 2_000;
/**
 * How long a change that need not reach D1 at once waits for its drain, so that the commits
 * after it share that drain: one D1 batch for all of them, and a row they change several
 * times written once. Well below the alarm's retry; nothing waits for it or depends on it: a
 * change that must reach D1 first (`bringUp`) drains at once and takes along whatever waits.
 */
const COALESCE_MS = 500;

/**
 * When D1, the read model, is brought up to date from the coordinator's outbox: right after a
 * commit that must reach it first (awaited or not), shortly after any other commit (several
 * share one drain), and by the alarm when that did not happen. Reads for the API wait for
 * `settled`: a change that must reach D1 first is shown only once it did.
 */
export class ReadModelSync {
  private settledNow: Promise<void> = Promise.resolve();
  /** Whether the alarm is set to drain the outbox. */
  private due = false;
  /** The coalesced drain `drainSoon` set, until it starts. */
  private soon: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly readModel: ReadModel,
    private readonly rows: RunStore,
    private readonly alarms: Alarms,
  ) {}

  /** Done once the last change that had to reach D1 first did (or was left to the alarm). */
  get settled(): Promise<void> {
    return this.settledNow;
  }

  /** Reads wait for `value` too (a change shown only once it is done, such as a plan being staged). */
  set settled(value: Promise<void>) {
    this.settledNow = value;
  }

  /**
   * Drains the outbox now; reads (`settled`) wait until it is done, from the moment this is
   * called. A failure is left to the alarm: the promise never rejects.
   */
  bringUp(): Promise<void> {
    // This drain takes everything committed so far: the coalesced one would find nothing.
    if (this.soon !== undefined) clearTimeout(this.soon);
    this.soon = undefined;
    const drained = (async () => {
      await yieldToIo(); // after a commit that may have been long (a plan of thousands of tasks)
      await this.readModel.drain();
    })().catch((error: unknown) => {
      logger.error("could not bring D1 up to date; the alarm retries", error);
      return this.setDue();
    });
    this.settledNow = drained;
    return drained;
  }

  /**
   * After a commit its caller does not wait for: drained now (reads and events wait for it)
   * when runners must see one of its jobs at once or the run has ended (the run list shows
   * how it ended), else `COALESCE_MS` after the first such commit, with every commit up to
   * then. The alarm is the safety net if this object stops first; it is set once and left to
   * find nothing to do, rather than set and cleared around every drain.
   */
  committed(jobs: readonly Job[], ended: boolean): void {
    if (!this.due) void this.setDue();
    if (ended || jobs.some(mustReachRunnersNow)) void this.bringUp();
    else this.drainSoon();
  }

  private drainSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      this.readModel
        .drain()
        .catch((error: unknown) => logger.error("could not bring D1 up to date; the alarm retries", error));
    }, COALESCE_MS);
  }

  /** Drains the outbox now; a drain that fails fails this. */
  drain(): Promise<void> {
    return this.readModel.drain();
  }

  /** The alarm's turn: drains, and sets the alarm again while anything is left. */
  async drainOrRetry(): Promise<void> {
    this.due = false;
    try {
      await this.readModel.drain();
    } catch (error) {
      logger.error("could not bring D1 up to date; retrying", error);
    }
    if (this.rows.hasPending()) await this.setDue();
  }

  private async setDue(): Promise<void> {
    this.due = true;
    await this.alarms.at("read-model", "", Date.now() + READ_MODEL_RETRY_MS);
  }
}

/**
 * A job runners must see in D1 at once: a new one (they claim jobs there, see `wakeClaims`), a
 * withdrawn one, and an agent's command (the task's view lists commands from D1). A verify
 * job's verdict may wait for the next drain: its runner is done with it and holds its lease.
 */
function mustReachRunnersNow(job: Job): boolean {
  return job.kind === "exec" || job.status === "queued" || job.status === "cancelled";
}
