import { watchRunState } from "@bernstein/client";
import { BernsteinError, type RunState, toBernsteinError } from "@bernstein/core";
import { useEffect, useState } from "react";
import { client } from "../api.js";

/** The state of the event connection, as the header shows it. */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "ended";

export interface LiveRun {
  state: RunState | null;
  live: LiveStatus;
  error: BernsteinError | null;
}

/**
 * Follows a run through `@bernstein/client` `watchRunState`: the snapshot, the event log
 * replayed from the start, then live events, all through core's `applyRunEvent`, exactly as
 * the CLI and the terminal monitor do. A dropped stream reconnects with `after=<last seq>`
 * for as long as the page is open.
 */
export function useRunState(runId: string): LiveRun {
  const [run, setRun] = useState<LiveRun>({ state: null, live: "connecting", error: null });
  useEffect(() => {
    const abort = new AbortController();
    setRun({ state: null, live: "connecting", error: null });
    const follow = async () => {
      const updates = watchRunState(client, runId, {
        signal: abort.signal,
        maxReconnects: Number.POSITIVE_INFINITY,
        onConnection: (change) => setRun((r) => ({ ...r, live: change.status })),
      });
      for await (const { state } of updates) setRun((r) => ({ ...r, state }));
      if (!abort.signal.aborted) setRun((r) => ({ ...r, live: "ended" }));
    };
    follow().catch((error: unknown) => {
      if (abort.signal.aborted) return;
      setRun((r) => ({ ...r, error: error instanceof BernsteinError ? error : toBernsteinError(error) }));
    });
    return () => abort.abort();
  }, [runId]);
  return run;
}
