import { type ArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError, type CreateRunCommand, type Plan, planInstanceId, type RunEvent } from "@bernstein/core";
import type { Env } from "../env.js";
import { yieldToIo } from "../yield-to-io.js";
import type { Tx } from "./context.js";
import { requireSameRequest } from "./idempotency.js";
import { writeIntegration } from "./integration.js";
import { LoadedRun } from "./loaded-run.js";
import { tasksFromPlan } from "./plan.js";
import type { RunStore } from "./store/run-store.js";

/**
 * Task rows written per transaction while a given plan is staged: one transaction of 5,000
 * rows (each with its outbox entry) held the thread for 120-340 ms; one of 100 takes a few.
 */
const STAGE_TASKS = 100;

/** What a create works with: the coordinator's parts, and the coordinator's operations it goes through. */
export interface RunCreationDeps {
  env: Pick<Env, "PLAN_STAGE_STOP_AT">;
  rows: RunStore;
  store: () => ArtifactStore;
  /** This start of the stack (see `resume.ts`). */
  bootId: string;
  /** Runs an operation in the coordinator's queue (its `serial`). */
  serial: <T>(operation: () => Promise<T>) => Promise<T>;
  /** The run if the coordinator holds it (importing it from D1 if owed). */
  held: (runId: string) => Promise<LoadedRun | undefined>;
  newTx: (state: LoadedRun) => Tx;
  /** The coordinator holds the run just created from now on. */
  adopt: (state: LoadedRun) => void;
  /** Reads for the API wait for `until` too. */
  holdReads: (until: Promise<void>) => void;
  /** Drains the outbox now; reads wait until it is done. */
  bringReadModelUp: () => Promise<void>;
  publish: (events: readonly RunEvent[], tx: Tx, state: LoadedRun) => void;
  /** Accepts a plan as `planAccepted` does: D1 has it before this returns. */
  acceptPlan: (runId: string, plan: Plan) => Promise<void>;
  startPlanning: (runId: string) => Promise<void>;
}

/**
 * The create of a run: its first commit, then either its planning workflow or, for a given
 * plan, the plan's staging and acceptance. A given plan is staged before it is accepted: until
 * then the API's views of the run wait, and D1 has none of it (the run reaches D1 with its
 * accepted plan).
 */
export class RunCreation {
  /** Test hook (`PLAN_STAGE_STOP_AT`): staging stops with an error once this many tasks are stored. */
  private readonly stopAt: number | undefined;

  constructor(private readonly deps: RunCreationDeps) {
    const { PLAN_STAGE_STOP_AT } = deps.env;
    this.stopAt = PLAN_STAGE_STOP_AT ? Number(PLAN_STAGE_STOP_AT) : undefined;
  }

  /** Creates the run; false if it was there already (the same create again). */
  async create(command: CreateRunCommand): Promise<boolean> {
    const { run, plan } = command;
    let showStaged = () => {};
    if (plan) {
      this.deps.holdReads(
        new Promise<void>((resolve) => {
          showStaged = resolve;
        }),
      );
    }
    try {
      const created = await this.deps.serial(() => this.insert(command));
      if (plan) await this.deps.acceptPlan(run.id, plan);
      else if (created) await this.deps.startPlanning(run.id);
      return created;
    } finally {
      showStaged();
    }
  }

  /** The run's first commit and a given plan's staging, in the queue; false if the run was there already. */
  private async insert(command: CreateRunCommand): Promise<boolean> {
    const { run, plan, idempotencyKey, requestSha256 } = command;
    const { rows, store, bootId, newTx } = this.deps;
    const held = await this.deps.held(run.id);
    if (held) {
      if (idempotencyKey) requireSameRequest(rows, run.id, requestSha256);
      // The same create again: one cut short while its plan was staged is finished.
      if (plan && held.run.status === "planning") await this.stage(held, plan);
      return false;
    }
    await rows.migrate();
    await writeIntegration(store(), run.id, { seq: 0, manifest: run.baseSnapshot, taskId: null, at: run.createdAt });
    const state = new LoadedRun(run, idempotencyKey, new Map(), new Map(), new Map(), 1);
    const tx = newTx(state);
    tx.insertRun();
    tx.emit("run.created", null, { goal: run.goal, model: run.model, maxAgents: run.maxAgents });
    tx.audit("user", "run.create", {
      goal: run.goal,
      model: run.model,
      budgetUsd: run.budgetUsd,
      request: requestSha256,
    });
    if (!plan) tx.memory.boots[planInstanceId(run.id)] = bootId;
    const events = await tx.commit();
    this.deps.adopt(state);
    if (plan) await this.stage(state, plan);
    else await this.deps.bringReadModelUp(); // the run list shows the run once its create returns
    this.deps.publish(events, tx, state);
    return true;
  }

  /**
   * Stores a given plan before it is accepted, while the run stays `planning`: the plan in R2,
   * then the task rows this object does not hold yet, `STAGE_TASKS` per transaction of its
   * SQLite, with a yield to I/O between them. Run again after a staging cut short (a crash; the
   * create is retried with its idempotency key), it writes only the rows still missing: the ids
   * come from the run and the plan. `acceptPlan` then finds the tasks stored. `create` keeps
   * the staged rows out of sight until then: nothing drains the outbox to D1 meanwhile, and the
   * coordinator's views wait.
   */
  private async stage(state: LoadedRun, plan: Plan): Promise<void> {
    const { stopAt } = this;
    await this.deps.store().putJson(keys.plan(state.run.id), plan);
    const tasks = await tasksFromPlan(state.run, plan, new Date().toISOString());
    const missing = tasks.filter((task) => !state.tasks.has(task.id));
    const stopping = stopAt !== undefined && state.tasks.size < stopAt;
    for (let i = 0; i < missing.length; i += STAGE_TASKS) {
      if (i > 0) await yieldToIo();
      const tx = this.deps.newTx(state);
      tx.insertTasks(missing.slice(i, i + STAGE_TASKS));
      await tx.commit();
      if (stopping && state.tasks.size >= stopAt) {
        throw new BernsteinError("internal", `test hook: the staging of the plan stopped at ${state.tasks.size} tasks`);
      }
    }
  }
}
