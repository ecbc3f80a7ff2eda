import { BernsteinError, isTerminalRunStatus, parseWith, RunEvent, RunStatus } from "@bernstein/core";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { Transport } from "./transport.js";

export interface EventsOptions {
  /** Replay starts after this seq (default 0: the whole log). */
  after?: number;
  /** Aborting ends the iteration quietly. */
  signal?: AbortSignal | undefined;
  /** Consecutive failed connections before giving up (default 8). */
  maxReconnects?: number;
  /** First pause before a reconnect, doubled each time up to 5 s (default 250 ms). */
  reconnectDelayMs?: number;
  /** Told when the stream connects, is live, or lost its connection and tries again. */
  onConnection?: (change: ConnectionChange) => void;
  /**
   * A connection silent this long (no event, no ping: the stack pings every 15 s) counts as
   * lost and is replaced, so a half-open connection never hangs the stream (default 45 s).
   */
  idleTimeoutMs?: number;
}

/** The state of the event connection, for a "reconnecting" notice. */
export interface ConnectionChange {
  status: "connecting" | "live" | "reconnecting";
  /** The seq the next connection resumes after. */
  after: number;
  /** Failed connections in a row so far (0 while live). */
  failures: number;
  /** Why the last connection ended, when it failed. */
  error?: unknown;
}

/** Asks the stack whether a run has ended (used when a stream closes with nothing new). */
export type RunIsTerminal = (runId: string, signal?: AbortSignal) => Promise<boolean>;

const MAX_DELAY_MS = 5_000;
const IDLE_TIMEOUT_MS = 45_000;

/**
 * Follows a run's event log over SSE. Reconnects with `after = last seq` when the connection
 * drops, so the caller sees every seq exactly once and in order; ends when the server closes
 * the stream after a terminal `run.status` event, when a reconnect finds the run ended with
 * nothing left to send, or when `signal` aborts.
 */
export async function* followRunEvents(
  transport: Transport,
  runId: string,
  isTerminal: RunIsTerminal,
  options: EventsOptions = {},
): AsyncGenerator<RunEvent, void, undefined> {
  const { signal } = options;
  const maxReconnects = options.maxReconnects ?? 8;
  const baseDelay = options.reconnectDelayMs ?? 250;
  const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  let last = options.after ?? 0;
  let failures = 0;
  let terminalSeen = false;
  const tell = (change: ConnectionChange) => options.onConnection?.(change);
  tell({ status: "connecting", after: last, failures: 0 });

  while (!signal?.aborted) {
    const connection = new AbortController();
    const connectionSignal = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
    let received = 0;
    let failure: unknown;
    try {
      const response = await transport.send("GET", `/v1/runs/${encodeURIComponent(runId)}/events?after=${last}`, {
        accept: "text/event-stream",
        signal: connectionSignal,
        timeoutMs: null,
      });
      tell({ status: "live", after: last, failures: 0 });
      for await (const event of readEvents(response, connectionSignal, idleMs)) {
        if (event.seq <= last) continue; // a replayed event we already handed out
        if (event.seq !== last + 1) {
          failure = new BernsteinError("internal", `event stream of ${runId} jumped from seq ${last} to ${event.seq}`);
          break;
        }
        last = event.seq;
        received++;
        failures = 0;
        if (event.type === "run.status" && isTerminalEvent(event)) terminalSeen = true;
        yield event;
        // Frames that arrived in the same chunk must not outrun an abort made while handling this one.
        if (signal?.aborted) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (!isRetryable(error)) throw error;
      failure = error;
    } finally {
      connection.abort();
    }

    if (failure === undefined) {
      if (terminalSeen) return;
      // A clean close without the terminal event: done if the run has ended and nothing came.
      if (received === 0 && (await isTerminal(runId, signal))) return;
      if (received > 0) {
        tell({ status: "reconnecting", after: last, failures: 0 });
        continue;
      }
    }
    failures++;
    if (failures > maxReconnects) {
      if (failure instanceof BernsteinError) throw failure;
      throw new BernsteinError(
        "stack_unreachable",
        `lost the event stream of ${runId} at ${transport.baseUrl} after ${maxReconnects} reconnects`,
        { cause: failure, details: { url: transport.baseUrl, after: last } },
      );
    }
    tell({ status: "reconnecting", after: last, failures, ...(failure === undefined ? {} : { error: failure }) });
    await pause(Math.min(baseDelay * 2 ** (failures - 1), MAX_DELAY_MS), signal);
  }
}

/** Parses one SSE response into RunEvents as they arrive; throws when it stays silent for `idleMs`. */
async function* readEvents(
  response: Response,
  signal: AbortSignal,
  idleMs: number,
): AsyncGenerator<RunEvent, void, undefined> {
  if (!response.body) return;
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const onAbort = () => {
    reader.cancel().catch((error: unknown) => error);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      const { done, value } = await readWithin(reader, idleMs);
      if (done) return;
      parser.feed(value);
      while (queue.length > 0) {
        const message = queue.shift() as EventSourceMessage;
        yield parseMessage(message);
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}

/** The next chunk, or a retryable `stack_unreachable` when none comes within `ms`. */
function readWithin(
  reader: ReadableStreamDefaultReader<string>,
  ms: number,
): Promise<ReadableStreamReadResult<string>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new BernsteinError("stack_unreachable", `the event stream sent nothing for ${Math.round(ms / 1000)} s`));
      // The connection is given up either way; a failure to cancel it changes nothing.
      reader.cancel().catch((error: unknown) => error);
    }, ms);
    reader.read().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function parseMessage(message: EventSourceMessage): RunEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch (error) {
    throw new BernsteinError("internal", `event ${message.id ?? "?"} of the run stream is not JSON`, { cause: error });
  }
  return parseWith(RunEvent, json, "internal", `run event ${message.id ?? "?"}`);
}

// The orchestrator writes `run.status` as {from, to}; `status` is accepted as well.
function isTerminalEvent(event: RunEvent): boolean {
  const status = RunStatus.safeParse(event.data.to ?? event.data.status);
  return status.success && isTerminalRunStatus(status.data);
}

// Connection trouble is worth another try; an answer like 404 or 403 is not.
function isRetryable(error: unknown): boolean {
  if (error instanceof BernsteinError) return error.code === "stack_unreachable" || error.code === "internal";
  return true;
}

/**
 * Waits `ms`, or less when `signal` aborts (the loop then ends quietly). The client runs in
 * Node, workerd and browsers, so not `node:timers/promises`; and not `AbortSignal.timeout`,
 * whose timer does not keep a Node process alive while it waits to reconnect.
 */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
