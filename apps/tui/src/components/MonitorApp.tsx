import { useApp } from "ink";
import { useCallback, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";
import type { MonitorOutcome } from "../outcome.js";
import { ColorContext } from "../theme.js";
import { ErrorBoundary } from "./ErrorBoundary.js";
import { RunMonitor } from "./RunMonitor.js";
import { RunPicker } from "./RunPicker.js";

export interface MonitorAppProps {
  api: MonitorApi;
  /** The run to show; without one the app lists the runs to pick from. */
  runId?: string | undefined;
  /** Leave once the run has ended (`run --wait`). */
  exitWhenDone?: boolean | undefined;
  /** Colours on (false for NO_COLOR). */
  color?: boolean | undefined;
  /** The clock for elapsed times. */
  clock?: (() => number) | undefined;
  /** First pause before reconnecting the event stream. */
  reconnectDelayMs?: number | undefined;
  /** Told how the app ends (an outcome, or the error it fails with) just before it exits. */
  onExit?: ((result: MonitorOutcome | Error) => void) | undefined;
}

/**
 * The monitor app: a run picker or the run's monitor, inside an error boundary. It leaves with
 * Ink's `exit(outcome)` (a `MonitorOutcome`) or `exit(error)` when following the run failed.
 */
export function MonitorApp(props: MonitorAppProps) {
  const { api, runId, exitWhenDone, color = true, clock, reconnectDelayMs, onExit } = props;
  const { exit } = useApp();
  const [picked, setPicked] = useState<string | undefined>(runId);
  const leave = useCallback(
    (outcome: MonitorOutcome) => {
      onExit?.(outcome);
      exit(outcome);
    },
    [exit, onExit],
  );
  const fail = useCallback(
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      onExit?.(failure);
      exit(failure);
    },
    [exit, onExit],
  );
  return (
    <ColorContext.Provider value={color}>
      <ErrorBoundary onError={fail}>
        {picked ? (
          <RunMonitor
            api={api}
            runId={picked}
            exitWhenDone={exitWhenDone ?? false}
            {...(clock ? { clock } : {})}
            {...(reconnectDelayMs === undefined ? {} : { reconnectDelayMs })}
            onExit={leave}
            onError={fail}
          />
        ) : (
          <RunPicker
            api={api}
            onPick={setPicked}
            onLeave={(interrupted) => leave({ reason: interrupted ? "interrupted" : "quit", runId: null, state: null })}
            onError={fail}
          />
        )}
      </ErrorBoundary>
    </ColorContext.Provider>
  );
}
