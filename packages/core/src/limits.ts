/** Platform limits of Cloudflare that the design respects everywhere (ARCHITECTURE.md §6). */
export const LIMITS = {
  /** D1: bound parameters per statement. */
  d1MaxBoundParameters: 100,
  /** D1: statements per Worker invocation (we batch well below it). */
  d1MaxStatementsPerInvocation: 1_000,
  /** D1: bytes per row. */
  d1MaxRowBytes: 2_000_000,
  /** Workflows: bytes of one step result. */
  stepResultMaxBytes: 1_048_576,
  /** Event payloads share the step-result limit. */
  eventPayloadMaxBytes: 1_048_576,
  /** Step results larger than this go to R2 and the step returns a pointer. */
  spillThresholdBytes: 512 * 1024,
  /** Workflows: steps per instance. */
  workflowMaxSteps: 10_000,
  /**
   * Bytes of a create-run request: its plan goes to the run's coordinator in one RPC call
   * (whose arguments may hold 32 MiB), with room to spare.
   */
  createRunMaxBytes: 16 * 1024 * 1024,
} as const;

/** Defaults of a run and of an attempt, used when the user sets nothing. */
export const DEFAULTS = {
  maxAgents: 4,
  maxRetries: 2,
  maxTurns: 40,
  maxOutputTokens: 8_192,
  planTokenBudget: 24_000,
} as const;

/**
 * Money caps. A run's budget is at most `maxRunUsd`; one `budget --add` adds at most
 * `maxAddUsd` and never takes the budget past `maxRunUsd`; a finished (terminal) run takes no
 * more budget. They bound what a mistyped command or a stolen token can commit.
 */
export const BUDGET_LIMITS = {
  maxRunUsd: 10_000,
  maxAddUsd: 1_000,
} as const;
