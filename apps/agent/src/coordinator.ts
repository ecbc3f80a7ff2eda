import type { CoordinatorApi } from "@bernstein/core";
import type { Env } from "./env.js";

/**
 * The run's coordinator as an RPC stub. The class lives in the orchestrator Worker (apps do
 * not import apps), so the binding is typed by the contract in core.
 */
export function coordinatorFor(env: Env, runId: string): CoordinatorApi {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName(runId));
}
