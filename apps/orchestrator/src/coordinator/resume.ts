import { planInstanceId } from "@bernstein/core";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import type { Ctx } from "./context.js";
import { releaseRpcResult } from "./release-rpc.js";

/**
 * Resume after a restart of the local stack. Locally, an instance that was mid-step when the
 * process stopped stays "running" forever after a restart; each instance records the start of
 * the stack (`STACK_BOOT_ID`) that started it, so one of an earlier start is restarted, and its
 * step journal replays what it had finished. Cloudflare resumes instances itself; there the
 * boot id never changes and nothing is restarted.
 */

/** A workflow instance to resume. */
export interface ResumableInstance {
  id: string;
  plan: boolean;
  taskId: string;
  attempt: number;
}

/** The run's running instances that an earlier start of the stack started, marked as this one's. */
export function instancesToResume(c: Ctx, bootId: string): ResumableInstance[] {
  const { tx, state } = c;
  const found: ResumableInstance[] = [];
  for (const attempt of state.attempts.values()) {
    if (attempt.status !== "running" || tx.memory.boots[attempt.id] === bootId) continue;
    found.push({ id: attempt.id, plan: false, taskId: attempt.taskId, attempt: attempt.n });
    tx.memory.boots[attempt.id] = bootId;
  }
  const plan = planInstanceId(tx.run.id);
  const planning = tx.run.status === "planning" || (tx.run.status === "paused" && tx.taskCount() === 0);
  if (planning && tx.memory.boots[plan] !== bootId) {
    found.push({ id: plan, plan: true, taskId: "", attempt: 0 });
    tx.memory.boots[plan] = bootId;
  }
  if (found.length > 0 && !tx.ended) tx.emit("log", null, { kind: "resume", instances: found.map((f) => f.id) });
  return found;
}

/** Restarts each instance from its first step (its journal replays what it finished). */
export async function restartInstances(
  env: Pick<Env, "TASKS" | "PLANS">,
  runId: string,
  instances: readonly ResumableInstance[],
): Promise<void> {
  await Promise.all(
    instances.map(async (s) => {
      try {
        const instance = await (s.plan ? env.PLANS : env.TASKS).get(s.id);
        try {
          await instance.restart();
        } finally {
          releaseRpcResult(instance);
        }
      } catch (error) {
        // Never created (the stack stopped between the claim and the create): create it now.
        logger.info("creating an instance that could not be restarted", { instance: s.id, error: String(error) });
        releaseRpcResult(
          s.plan
            ? await env.PLANS.create({ id: s.id, params: { runId } })
            : await env.TASKS.create({ id: s.id, params: { runId, taskId: s.taskId, attempt: s.attempt } }),
        );
      }
    }),
  );
}
