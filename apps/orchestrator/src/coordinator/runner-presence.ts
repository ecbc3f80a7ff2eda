import { RUNNER_CONNECTED_SECONDS } from "@bernstein/core";
import { countRunnersSeenSince, createDb } from "@bernstein/db";

/**
 * Whether a runner is connected (one was seen within `RUNNER_CONNECTED_SECONDS`). Runners are
 * not run state: this is D1's, a read; nothing is written there.
 */
export async function runnerConnected(d1: D1Database): Promise<boolean> {
  const since = new Date(Date.now() - RUNNER_CONNECTED_SECONDS * 1000).toISOString();
  return (await countRunnersSeenSince(createDb(d1), since)) > 0;
}
