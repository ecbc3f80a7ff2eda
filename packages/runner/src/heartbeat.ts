import { type BernsteinError, toBernsteinError } from "@bernstein/core";

export interface HeartbeatOptions {
  /** One heartbeat call (`POST /v1/runners/jobs/:id/heartbeat`). */
  beat(signal: AbortSignal): Promise<unknown>;
  intervalMs: number;
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

/** Renews a job's lease every `intervalMs` until stopped or until the lease is lost. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const controller = new AbortController();
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      inFlight = beatOnce();
    }, ms);
  };

  const beatOnce = async () => {
    try {
      await options.beat(controller.signal);
      schedule(options.intervalMs);
    } catch (error) {
      if (controller.signal.aborted) return;
      const failure = toBernsteinError(error);
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
