import { keys } from "@bernstein/artifacts";
import { makeId, type Plan, type Run, type Task } from "@bernstein/core";
import { yieldToIo } from "../yield-to-io.js";
import type { Ctx } from "./context.js";

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
