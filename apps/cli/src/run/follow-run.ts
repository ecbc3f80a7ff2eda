import { type BernsteinClient, followRunState } from "@bernstein/client";
import { currentOutage, isModelPause, type RunState, type RunView } from "@bernstein/core";
import type { Output } from "../output/output.js";
import { startWaitNotices } from "../output/wait-notices.js";
import { figuresLine, printActivity } from "./run-state-text.js";

/**
 * Prints a progress line for each event of the run (from the start, then live), read through
 * the same reducer as the monitor, until the run ends or pauses for the user, or `signal`
 * aborts; returns the run as it is then. A pause because the model is down (`model_unavailable`)
 * is followed on: the run resumes by itself when the model answers.
 */
export async function followRun(
  client: BernsteinClient,
  runId: string,
  out: Output,
  signal: AbortSignal,
): Promise<RunView> {
  const color = out.json ? out.errColor : out.color;
  let printed = 0;
  let latest: RunState | undefined;
  // Agents can think for minutes without an event: say so at least every 10 s.
  const notices = startWaitNotices(
    (line) => out.note(line),
    () =>
      `still waiting for run ${runId}${latest ? `: ${waitingFor(latest)}${figuresLine(latest, Date.now(), out.errColor)}` : ""}`,
  );
  try {
    await followRunState(client, runId, {
      signal,
      onUpdate: ({ state }) => {
        latest = state;
        const before = printed;
        printed = printActivity((line) => out.print(line), state, printed, color);
        if (printed !== before) notices.touch();
      },
      // A paused run waits for the user (more budget, or cancel): stop following it here; one
      // paused for its model waits for the model, and goes on by itself.
      until: (state) => state.status === "paused" && !isModelPause(state),
    });
  } finally {
    notices.stop();
  }
  return client.getRun(runId);
}

/** What the run waits for, when that is its model: `model unavailable: anthropic 503, …; `. */
function waitingFor(state: RunState): string {
  const outage = currentOutage(state.activity);
  return outage ? `${outage}; ` : "";
}
