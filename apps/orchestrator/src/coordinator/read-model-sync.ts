import { logger } from "../logger.js";
import { yieldToIo } from "../yield-to-io.js";
import type { Alarms } from "./store/alarms.js";
import type { ReadModel } from "./store/read-model.js";
import type { RunStore } from "./store/run-store.js";

/** How long after a commit the alarm drains the outbox, if the drain right after it did not. */
const READ_MODEL_RETRY_MS = 2_000;

/**
 * When D1, the read model, is brought up to date from the coordinator's outbox: right after a
 * commit (awaited, or in the background), and by the alarm when that did not happen. Reads for
 * the API wait for `settled`: a change that must reach D1 first is shown only once it did.
 */
export class ReadModelSync {
  private settledNow: Promise<void> = Promise.resolve();
  /** Whether the alarm is set to drain the outbox. */
  private due = false;

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
   * Drains the outbox in the background. The alarm is the safety net if this object stops
   * first; it is set once and left to find nothing to do, rather than set and cleared around
   * every drain.
   */
  drainSoon(): void {
    if (!this.due) void this.setDue();
    this.readModel
      .drain()
      .catch((error: unknown) => logger.error("could not bring D1 up to date; the alarm retries", error));
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
