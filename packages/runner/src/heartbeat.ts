import { BernsteinError, toBernsteinError } from "@bernstein/core";

export interface HeartbeatOptions {
  /** One heartbeat call (`POST /v1/runners/jobs/:id/heartbeat`). */
  beat(signal: AbortSignal): Promise<unknown>;
  /** From the start of one beat to the start of the next. */
  intervalMs: number;
  /** How long one beat may take before it counts as failed (default `intervalMs`). */
  timeoutMs?: number;
  /** The stack says the lease is gone (409 or 404): the job must stop at once. */
  onLost(error: BernsteinError): void;
  /** A heartbeat failed for another reason (the next one is tried anyway). */
  onError(error: BernsteinError, retryInMs: number): void;
}

export interface Heartbeat {
  /** Stops beating and waits for a beat in flight. */
  stop(): Promise<void>;
}

/** True when an error from the stack means the runner no longer holds the job. */
export function isLeaseLost(error: BernsteinError): boolean {
  return error.code === "conflict" || error.code === "not_found";
}

/**
 * Renews a job's lease every `intervalMs` until stopped or until the lease is lost. Beats keep
 * their pace whatever a beat takes (the next is due `intervalMs` after the last one started),
 * and a beat with no answer within `timeoutMs` is given up and retried: with the lease only
 * three intervals long, a slow answer must not cost it.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? options.intervalMs;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      inFlight = beatOnce();
    }, ms);
  };

  const beatOnce = async () => {
    const started = Date.now();
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      await options.beat(AbortSignal.any([controller.signal, deadline]));
      schedule(Math.max(0, options.intervalMs - (Date.now() - started)));
    } catch (error) {
      if (controller.signal.aborted) return;
      const failure = deadline.aborted
        ? new BernsteinError("stack_unreachable", `the heartbeat got no answer within ${timeoutMs} ms`)
        : toBernsteinError(error);
      if (isLeaseLost(failure)) {
        controller.abort();
        options.onLost(failure);
        return;
      }
      // Retry sooner than the interval: the lease keeps running out meanwhile.
      const retryInMs = Math.max(250, Math.floor(options.intervalMs / 3));
      options.onError(failure, retryInMs);
      schedule(retryInMs);
    }
  };

  schedule(options.intervalMs);
  return {
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await inFlight;
    },
  };
}
