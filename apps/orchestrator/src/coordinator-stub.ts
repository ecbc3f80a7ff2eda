import type { RunControlApi } from "@bernstein/core";
import type { Env } from "./env.js";

/**
 * The coordinator of a run: it holds the run's state, so every read of one run comes from it.
 * Typed by its contract in core (the RPC stub's own typing drops results holding `unknown`).
 */
export function coordinatorOf(env: Pick<Env, "COORDINATOR">, runId: string): RunControlApi & Pick<Fetcher, "fetch"> {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName(runId));
}
