import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { readRunFromD1 } from "./store/d1-import.js";
import type { RunStore } from "./store/run-store.js";

/**
 * The import of a run made before runs lived in the coordinator's SQLite: such a run is in D1
 * only, and its coordinator imports it from there on first access (one import at a time;
 * nothing else runs in the object meanwhile). After that it is held like any other.
 */
export class RunImport {
  /** The import under way. */
  private importing: Promise<void> | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Pick<Env, "STATE_DB" | "COORDINATOR">,
    private readonly rows: RunStore,
  ) {}

  /**
   * Imports `runId` from D1 if this object holds no run (`holdsRun`) and is the one
   * `coordinatorOf(runId)` names (only then may it import the run). A run that D1 lacks too is
   * not imported.
   */
  async ifOwed(runId: string, holdsRun: () => boolean): Promise<void> {
    if (holdsRun() || !this.isCoordinatorOf(runId)) return;
    this.importing ??= this.ctx
      .blockConcurrencyWhile(async () => {
        if (holdsRun()) return;
        const imported = await readRunFromD1(this.env.STATE_DB, this.ctx.storage, runId);
        if (!imported) return;
        await this.rows.importRun(imported);
        logger.info("imported a run made before runs lived in the coordinator", {
          runId,
          tasks: imported.tasks.length,
        });
      })
      .finally(() => {
        this.importing = undefined;
      });
    await this.importing;
  }

  private isCoordinatorOf(runId: string): boolean {
    return this.env.COORDINATOR.idFromName(runId).equals(this.ctx.id);
  }
}
