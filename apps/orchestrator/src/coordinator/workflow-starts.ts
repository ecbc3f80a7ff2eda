import { type AttemptReport, type ErrorJson, planInstanceId } from "@bernstein/core";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { createAttempts, isDuplicateInstance } from "./instances.js";
import { releaseRpcResult } from "./release-rpc.js";
import type { Dispatch } from "./scheduling.js";

/**
 * Starts a run's planning workflow; `failed` records a start that failed (a repeat of a start
 * is no failure: instance ids are deterministic).
 */
export async function startPlanning(
  env: Pick<Env, "PLANS">,
  runId: string,
  failed: (error: ErrorJson) => Promise<void>,
): Promise<void> {
  try {
    releaseRpcResult(await env.PLANS.create({ id: planInstanceId(runId), params: { runId } }));
  } catch (error) {
    if (isDuplicateInstance(error)) return;
    logger.error("could not start planning", error, { runId });
    await failed({ code: "internal", message: "could not start the planning workflow" });
  }
}

/** Starts the workflows of claimed attempts; one that cannot start fails its attempt (`failed`). */
export async function startAttempts(
  env: Pick<Env, "TASKS">,
  dispatches: readonly Dispatch[],
  failed: (runId: string, report: AttemptReport) => Promise<void>,
): Promise<void> {
  for (const d of await createAttempts(env, dispatches)) {
    await failed(d.params.runId, {
      instanceId: d.id,
      outcome: "failed",
      turns: 0,
      summary: null,
      error: { code: "internal", message: "could not start the attempt's workflow" },
      resultManifest: null,
      patchKey: null,
      patchSha256: null,
      changedFiles: [],
    });
  }
}
