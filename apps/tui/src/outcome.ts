import type { RunState } from "@bernstein/core";

/** How the monitor ended: `quit` (q), `interrupted` (Ctrl-C) or `ended` (the run ended, with exitWhenDone). */
export interface MonitorOutcome {
  reason: "quit" | "interrupted" | "ended";
  /** The run that was shown; null when none was chosen. */
  runId: string | null;
  /** Its last reduced state. */
  state: RunState | null;
}
