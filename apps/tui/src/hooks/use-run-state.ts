import { watchRunState } from "@bernstein/client";
import type { RunState } from "@bernstein/core";
import { useCallback, useEffect, useState } from "react";
import type { MonitorApi } from "../monitor-api.js";

/** The event connection as the header shows it. */
export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "ended";

export interface RunWatch {
  /** The reduced state; null until the snapshot and the log up to it are read. */
  state: RunState | null;
  connection: ConnectionStatus;
  /** Set when following failed for good (the monitor exits with it). */
  error: unknown;
}

export interface RunWatchControl extends RunWatch {
  /**
   * Follows the run again after its stream ended: a retry brings a failed run back to life.
   * Does nothing while the stream is open.
   */
  resume(): void;
}

export interface RunWatchOptions {
  /** First pause before a reconnect (default 250 ms). */
  reconnectDelayMs?: number;
}

/**
 * Follows a run through `watchRunState`: one reduced state from the snapshot and the event
 * stream, reconnecting by itself (`connection` says so meanwhile) until the run ends.
 */
export function useRunState(api: MonitorApi, runId: string, options: RunWatchOptions = {}): RunWatchControl {
  const [watch, setWatch] = useState<RunWatch>({ state: null, connection: "connecting", error: undefined });
  const [generation, setGeneration] = useState(0);
  const { reconnectDelayMs } = options;
  const resume = useCallback(() => {
    setWatch((w) => {
      if (w.connection === "ended") setGeneration((g) => g + 1);
      return w;
    });
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    // A new run starts from nothing; a resumed one keeps showing its last state meanwhile.
    setWatch((w) => ({ state: w.state?.id === runId ? w.state : null, connection: "connecting", error: undefined }));
    (async () => {
      const updates = watchRunState(api, runId, {
        signal,
        reconnectDelayMs,
        onConnection: (change) => {
          if (!signal.aborted) setWatch((w) => ({ ...w, connection: change.status }));
        },
      });
      for await (const { state } of updates) {
        if (signal.aborted) return;
        setWatch((w) => ({ ...w, state }));
      }
      if (!signal.aborted) setWatch((w) => ({ ...w, connection: "ended" }));
    })().catch((error: unknown) => {
      if (!signal.aborted) setWatch((w) => ({ ...w, error }));
    });
    return () => controller.abort();
  }, [api, runId, reconnectDelayMs, generation]);
  return { ...watch, resume };
}
