import { type AttemptNotice, planInstanceId } from "@bernstein/core";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { releaseRpcResult } from "./release-rpc.js";
import type { Dispatch } from "./scheduling.js";

/**
 * Sends committed notices to their workflow instances (the run's planning one included: its
 * budget). A finished instance cannot receive one.
 */
export async function deliverNotices(
  env: Pick<Env, "TASKS" | "PLANS">,
  runId: string,
  notices: readonly AttemptNotice[],
): Promise<void> {
  await Promise.all(
    notices.map(async (notice) => {
      try {
        const workflows = notice.instanceId === planInstanceId(runId) ? env.PLANS : env.TASKS;
        const instance = await workflows.get(notice.instanceId);
        try {
          await instance.sendEvent({ type: notice.type, payload: notice.payload });
        } finally {
          releaseRpcResult(instance);
        }
      } catch (error) {
        // Lost for a live instance; a restarted one asks again (its submit, a command's check, its next call's budget).
        logger.error("could not notify an attempt", error, { instance: notice.instanceId, type: notice.type });
      }
    }),
  );
}

/**
 * Starts the workflow of each claimed attempt. Ids are deterministic, so a repeat is harmless.
 * Returns the ones that could not be started.
 */
export async function createAttempts(env: Pick<Env, "TASKS">, dispatches: readonly Dispatch[]): Promise<Dispatch[]> {
  const failed: Dispatch[] = [];
  await Promise.all(
    dispatches.map(async (d) => {
      try {
        releaseRpcResult(await env.TASKS.create({ id: d.id, params: d.params }));
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
