import type { WorkflowStepConfig } from "cloudflare:workers";

/**
 * Named retry presets for `step.do`. Durations are numbers (ms) or "N seconds"-style strings:
 * "50 millis" fails type-checking (TOOLCHAIN.md). Permanent errors skip retries regardless,
 * because `doStep` throws them as `NonRetryableError`.
 */
export const RETRY = {
  /**
   * Model calls: the one retry layer for them (the llm client makes one HTTP request per call).
   * A step retry survives a crash of the Worker, and `doStep` waits a provider's `retry-after`
   * before the step fails. 7 tries (one request each) over about 2 minutes (2, 4 ... 64 s).
   */
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

/** HTTP requests one model step makes at most: its first try and each retry (one request each). */
export const MAX_MODEL_TRIES_PER_STEP = RETRY.model.retries.limit + 1;
