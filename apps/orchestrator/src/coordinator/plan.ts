import { keys } from "@bernstein/artifacts";
import { BernsteinError, makeId, type Plan, type Run, type Task } from "@bernstein/core";
import { yieldToIo } from "../yield-to-io.js";
import type { Ctx, Tx } from "./context.js";
import type { LoadedRun } from "./loaded-run.js";

const encoder = new TextEncoder();
/** Task ids made between two chances for other requests to run (see `yieldToIo`). */
const YIELD_EVERY = 200;

/**
 * The real id of a plan task: derived from the run and the plan-local id, so accepting the
 * same plan twice (a replayed workflow step) names the same tasks.
 */
export async function taskIdFor(runId: string, planId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${runId}\u0000${planId}`));
  return makeId("t", new Uint8Array(digest));
}

/** Turns a validated plan into the run's task rows (status `open`, dependencies as real ids). */
export async function tasksFromPlan(run: Run, plan: Plan, now: string): Promise<Task[]> {
  const ids = new Map<string, string>();
  for (const t of plan.tasks) {
    ids.set(t.id, await taskIdFor(run.id, t.id));
    if (ids.size % YIELD_EVERY === 0) await yieldToIo();
  }
  return plan.tasks.map((t, order) => ({
    id: ids.get(t.id) as string,
    runId: run.id,
    planId: t.id,
    title: t.title,
    description: t.description,
    role: t.role,
    priority: t.priority,
    order,
    status: "open",
    version: 0,
    dependsOn: t.depends_on.map((d) => ids.get(d) as string),
    ownedFiles: t.owned_files,
    completionSignals: t.completion_signals,
    approvalRequired: t.approval_required || run.approveAll,
    maxCostUsd: t.max_cost_usd ?? null,
    attempt: 0,
    costUsd: 0,
    summary: null,
    error: null,
    mergedSeq: null,
    createdAt: now,
    updatedAt: now,
  }));
}

/**
 * Task rows written per transaction while a given plan is staged: one transaction of 5,000
 * rows (each with its outbox entry) held the thread for 120-340 ms; one of 100 takes a few.
 */
export const STAGE_TASKS = 100;

/**
 * Stores a given plan before it is accepted, while the run stays `planning`: the plan in R2,
 * then the task rows this object does not hold yet, `STAGE_TASKS` per transaction of its
 * SQLite, with a yield to I/O between them. Run again after a staging cut short (a crash; the
 * create is retried with its idempotency key), it writes only the rows still missing: the ids
 * come from the run and the plan. `acceptPlan` then finds the tasks stored. The caller keeps
 * the staged rows out of sight until then: nothing drains the outbox to D1 meanwhile, and the
 * coordinator's views wait.
 */
export async function stagePlan(
  state: LoadedRun,
  store: Ctx["store"],
  plan: Plan,
  newTx: () => Tx,
  /** Test hook (`PLAN_STAGE_STOP_AT`): stop with an error once this many tasks are stored. */
  stopAt?: number,
): Promise<void> {
  await store.putJson(keys.plan(state.run.id), plan);
  const tasks = await tasksFromPlan(state.run, plan, new Date().toISOString());
  const missing = tasks.filter((task) => !state.tasks.has(task.id));
  const stopping = stopAt !== undefined && state.tasks.size < stopAt;
  for (let i = 0; i < missing.length; i += STAGE_TASKS) {
    if (i > 0) await yieldToIo();
    const tx = newTx();
    tx.insertTasks(missing.slice(i, i + STAGE_TASKS));
    await tx.commit();
    if (stopping && state.tasks.size >= stopAt) {
      throw new BernsteinError("internal", `test hook: the staging of the plan stopped at ${state.tasks.size} tasks`);
    }
  }
}

/** Stores the plan's tasks (once; a staged plan's are stored already) and starts the run. */
export async function acceptPlan(c: Ctx, plan: Plan): Promise<void> {
  const { tx, state } = c;
  if (state.tasks.size === 0) {
    await c.store.putJson(keys.plan(state.run.id), plan);
    tx.insertTasks(await tasksFromPlan(state.run, plan, tx.now));
  }
  const count = tx.tasks().length;
  tx.emit("plan.accepted", null, { tasks: count });
  tx.audit("coordinator", "plan.accept", { tasks: count });
  tx.setRunStatus("running");
}
