import { planInstanceId } from "@bernstein/core";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import type { Ctx } from "./outcomes.js";
import type { Dispatch } from "./scheduling.js";
import type { Notice } from "./tx.js";

/** A workflow instance started by an earlier boot of the stack. */
export interface StaleInstance {
  id: string;
  plan: boolean;
  taskId: string;
  attempt: number;
}

/**
 * The run's running instances that an earlier boot started (locally, an instance that was
 * mid-step when the process stopped stays "running" forever), marked as this boot's.
 */
export function staleInstances(c: Ctx, bootId: string): StaleInstance[] {
  const { tx, state } = c;
  const found: StaleInstance[] = [];
  for (const attempt of state.attempts.values()) {
    if (attempt.status !== "running" || tx.memory.boots[attempt.id] === bootId) continue;
    found.push({ id: attempt.id, plan: false, taskId: attempt.taskId, attempt: attempt.n });
    tx.memory.boots[attempt.id] = bootId;
  }
  const plan = planInstanceId(tx.run.id);
  if (tx.run.status === "planning" && tx.memory.boots[plan] !== bootId) {
    found.push({ id: plan, plan: true, taskId: "", attempt: 0 });
    tx.memory.boots[plan] = bootId;
  }
  if (found.length > 0 && !tx.ended) tx.emit("log", null, { kind: "redrive", instances: found.map((f) => f.id) });
  return found;
}

/** Restarts each instance from its first step (its journal replays what it finished). */
export async function restartInstances(env: Env, runId: string, stale: readonly StaleInstance[]): Promise<void> {
  await Promise.all(
    stale.map(async (s) => {
      const binding = s.plan ? env.PLANS : env.TASKS;
      const params = s.plan ? { runId } : { runId, taskId: s.taskId, attempt: s.attempt };
      try {
        await (await binding.get(s.id)).restart();
      } catch (error) {
        // Never created (the stack stopped between the claim and the create): create it now.
        logger.info("creating an instance that could not be restarted", { instance: s.id, error: String(error) });
        await (binding as Workflow<typeof params>).create({ id: s.id, params });
      }
    }),
  );
}

/** Sends committed notices to their workflow instances. A finished instance cannot receive one. */
export async function deliverNotices(env: Env, notices: readonly Notice[]): Promise<void> {
  await Promise.all(
    notices.map(async (notice) => {
      try {
        const instance = await env.TASKS.get(notice.instanceId);
        await instance.sendEvent({ type: notice.type, payload: notice.payload });
      } catch (error) {
        // A waiting workflow also asks (`decisionFor`) before it waits, so a lost notice only delays it.
        logger.error("could not notify an attempt", error, { instance: notice.instanceId, type: notice.type });
      }
    }),
  );
}

/**
 * Starts the workflow of each claimed attempt. Ids are deterministic, so a repeat is harmless.
 * Returns the ones that could not be started.
 */
export async function createAttempts(env: Env, dispatches: readonly Dispatch[]): Promise<Dispatch[]> {
  const failed: Dispatch[] = [];
  await Promise.all(
    dispatches.map(async (d) => {
      try {
        await env.TASKS.create({ id: d.id, params: d.params });
      } catch (error) {
        if (isDuplicateInstance(error)) return;
        logger.error("could not start an attempt", error, { instance: d.id });
        failed.push(d);
      }
    }),
  );
  return failed;
}

export function isDuplicateInstance(error: unknown): boolean {
  return error instanceof Error && /already exists/i.test(error.message);
}
