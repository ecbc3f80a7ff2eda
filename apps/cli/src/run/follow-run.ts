import { type BernsteinClient, followRunState } from "@bernstein/client";
import type { RunView } from "@bernstein/core";
import type { Output } from "../output/output.js";
import { printActivity } from "./run-state-text.js";

/**
 * Prints a progress line for each event of the run (from the start, then live), read through
 * the same reducer as the monitor, until the run ends or pauses, or `signal` aborts; returns
 * the run as it is then.
 */
export async function followRun(
  client: BernsteinClient,
  runId: string,
  out: Output,
  signal: AbortSignal,
): Promise<RunView> {
  const color = out.json ? out.errColor : out.color;
  let printed = 0;
  await followRunState(client, runId, {
    signal,
    onUpdate: ({ state }) => {
      printed = printActivity((line) => out.print(line), state, printed, color);
    },
    // A paused run waits for the user (more budget, or cancel): stop following it here.
    until: (state) => state.status === "paused",
  });
  return client.getRun(runId);
}
