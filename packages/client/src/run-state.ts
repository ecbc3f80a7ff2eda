import {
  applyRunEvent,
  BernsteinError,
  initRunState,
  type RunEvent,
  type RunState,
  type RunView,
  rebaseRunState,
} from "@bernstein/core";
import type { BernsteinClient } from "./client.js";
import type { ConnectionChange } from "./run-events.js";

/** The part of the client a run watcher needs. */
export type RunStateApi = Pick<BernsteinClient, "getRun" | "events">;

export interface WatchRunOptions {
  /** Aborting ends the watch quietly. */
  signal?: AbortSignal | undefined;
  /** Told when the event connection drops and comes back (see `EventsOptions.onConnection`). */
  onConnection?: ((change: ConnectionChange) => void) | undefined;
  /** First pause before a reconnect (default 250 ms). */
  reconnectDelayMs?: number | undefined;
  /** Failed connections in a row before giving up (default 8). */
  maxReconnects?: number | undefined;
}

/** One step of a watched run: its state after `event` (null for the first, caught-up state). */
export interface RunUpdate {
  state: RunState;
  event: RunEvent | null;
}

/**
 * Follows a run as one reduced state (`@bernstein/core` `applyRunEvent`): the snapshot of
 * `GET /v1/runs/:id`, then its event log from the start (which fills in attempts, timing and
 * activity without counting anything twice), then live events. The first update comes once the
 * log has caught up with the snapshot; then one per event; when the run ends, a last one from
 * its final snapshot (event null). An event about a task the state lacks reloads the snapshot.
 * Aborting `signal` ends it quietly.
 */
export async function* watchRunState(
  client: RunStateApi,
  runId: string,
  options: WatchRunOptions = {},
): AsyncGenerator<RunUpdate, void, undefined> {
  const view = await client.getRun(runId);
  let state = initRunState(view);
  if (view.seq === 0) yield { state, event: null };
  let caughtUp = view.seq === 0;
  const events = client.events(runId, {
    after: 0,
    signal: options.signal,
    ...(options.onConnection ? { onConnection: options.onConnection } : {}),
    ...(options.reconnectDelayMs === undefined ? {} : { reconnectDelayMs: options.reconnectDelayMs }),
    ...(options.maxReconnects === undefined ? {} : { maxReconnects: options.maxReconnects }),
  });
  for await (const event of events) {
    state = await apply(client, state, event);
    if (caughtUp) {
      yield { state, event };
    } else if (event.seq >= view.seq) {
      caughtUp = true;
      yield { state, event: null };
    }
  }
  if (options.signal?.aborted) return;
  // The stream ended with the run. Its final snapshot also has what no event carries (the
  // tasks' summaries), so every watcher ends on the same state as `loadRunState`.
  yield { state: rebaseRunState(state, await client.getRun(runId)), event: null };
}

/**
 * The reduced state of a run now: its snapshot plus the event log up to that snapshot (for the
 * attempts, timing and activity). Reads no live events, so it returns at once for a running run.
 */
export async function loadRunState(client: RunStateApi, runId: string, signal?: AbortSignal): Promise<RunState> {
  const updates = watchRunState(client, runId, { signal });
  try {
    const first = await updates.next();
    if (first.done) throw new BernsteinError("internal", `the state of run ${runId} could not be read`);
    return first.value.state;
  } finally {
    // Closes the event stream: nothing live is read.
    await updates.return(undefined);
  }
}

/**
 * Follows a run until its event stream ends (the run is over), `until` says so, or `signal`
 * aborts, telling `onUpdate` each step; returns the last state.
 */
export async function followRunState(
  client: RunStateApi,
  runId: string,
  options: WatchRunOptions & { onUpdate?: (update: RunUpdate) => void; until?: (state: RunState) => boolean } = {},
): Promise<RunState | undefined> {
  let last: RunState | undefined;
  for await (const update of watchRunState(client, runId, options)) {
    last = update.state;
    options.onUpdate?.(update);
    if (options.until?.(update.state)) break;
  }
  return last;
}

async function apply(client: RunStateApi, state: RunState, event: RunEvent): Promise<RunState> {
  const next = applyRunEvent(state, event);
  if (!next.stale) return next;
  // The plan landed (or a task appeared): take a fresh snapshot, then read the event again.
  const view: RunView = await client.getRun(state.id);
  return applyRunEvent(rebaseRunState(next, view), event);
}
