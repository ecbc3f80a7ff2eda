import type { WorkflowStepConfig } from "cloudflare:workers";

/**
 * Named retry presets for `step.do`. Durations are numbers (ms) or "N seconds"-style strings:
 * "50 millis" fails type-checking (TOOLCHAIN.md). Permanent errors skip retries regardless,
 * because `doStep` throws them as `NonRetryableError`.
 */
export const RETRY = {
  /** Model calls: providers rate-limit and have outages, so retry often with growing gaps. */
  model: { retries: { limit: 6, delay: "2 seconds", backoff: "exponential" }, timeout: "10 minutes" },
  /** Tool batches: deterministic work over R2; a retry helps only with a transient read. */
  tools: { retries: { limit: 2, delay: "1 second", backoff: "constant" }, timeout: "2 minutes" },
  /** R2 and D1 writes: a few quick retries. */
  storage: { retries: { limit: 3, delay: 250, backoff: "exponential" }, timeout: "1 minute" },
  /** RPC to the run's coordinator: it may be busy or restarting. */
  report: { retries: { limit: 5, delay: "1 second", backoff: "exponential" }, timeout: "1 minute" },
  /** Exactly one attempt. */
  once: { retries: { limit: 0, delay: 0 }, timeout: "5 minutes" },
} as const satisfies Record<string, WorkflowStepConfig>;

export type RetryPreset = keyof typeof RETRY;
