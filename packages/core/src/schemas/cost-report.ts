import { z } from "zod";
import { CostEvent } from "./cost-event.js";

const Count = z.number().int().nonnegative();

/** Tokens of model calls: input, output, and the prompt cache's reads and writes. */
export const TokenCounts = z.object({ in: Count, out: Count, cacheRead: Count, cacheWrite: Count });
export type TokenCounts = z.infer<typeof TokenCounts>;

/** No tokens at all. */
export const NO_TOKENS: TokenCounts = Object.freeze({ in: 0, out: 0, cacheRead: 0, cacheWrite: 0 });

const UsdBy = z.record(z.string(), z.number());
const TokensBy = z.record(z.string(), TokenCounts);

/** What one attempt of a task cost: its model calls and the runner time of its jobs. */
export const AttemptCost = z.object({
  /** The attempt's instance id `<run>-<task>-a<n>`. */
  id: z.string(),
  n: z.number().int().positive(),
  usd: z.number(),
  calls: Count,
  tokens: TokenCounts,
  runnerSeconds: z.number(),
});
export type AttemptCost = z.infer<typeof AttemptCost>;

/** What one task cost, with what a reader needs to know which task it is. */
export const TaskCost = z.object({
  id: z.string(),
  runId: z.string(),
  /** The id the plan gave the task (`t1`): `logs t1` and the other task commands accept it. */
  planId: z.string(),
  title: z.string(),
  role: z.string(),
  usd: z.number(),
  calls: Count,
  tokens: TokenCounts,
  runnerSeconds: z.number(),
  /** Oldest first. */
  attempts: z.array(AttemptCost),
});
export type TaskCost = z.infer<typeof TaskCost>;

/** A run's spend against its budget (null budget: the run has none). */
export const BudgetShare = z.object({
  budgetUsd: z.number().nullable(),
  spentUsd: z.number(),
  /** spent / budget (0.5 is half of it); null without a budget. */
  share: z.number().nullable(),
});
export type BudgetShare = z.infer<typeof BudgetShare>;

/** Spend of the model calls in the last `windowSeconds` before `at`, and that per minute. */
export const BurnRate = z.object({
  windowSeconds: z.number().int().positive(),
  at: z.string(),
  usd: z.number(),
  usdPerMinute: z.number(),
});
export type BurnRate = z.infer<typeof BurnRate>;

/** The window of `CostReport.burn`: five minutes. */
export const BURN_WINDOW_SECONDS = 300;

/**
 * `GET /v1/runs/:id/cost` and `GET /v1/cost`: spend in USD, in total and by run, task, attempt,
 * model and task role (the planning call counts under the role `planner`), the same for tokens,
 * and runner time. A run's report also lists its cost events and its budget share. The fields
 * after `runnerSeconds` came later; their defaults let reports of older servers parse.
 */
export const CostReport = z.object({
  totalUsd: z.number(),
  /** Every run of the report, a run without spend at 0. */
  byRun: UsdBy,
  byTask: UsdBy,
  byModel: UsdBy,
  byRole: UsdBy,
  events: z.array(CostEvent),
  /**
   * Runner time in seconds: every job of the runs (verification, baselines, the agents'
   * commands), in total and by run, task and attempt (its instance id). Baselines have no task.
   */
  runnerSeconds: z
    .object({ total: z.number(), byRun: UsdBy, byTask: UsdBy, byAttempt: UsdBy })
    .default({ total: 0, byRun: {}, byTask: {}, byAttempt: {} }),
  /** Spend by attempt (instance id); the planning call has no attempt. */
  byAttempt: UsdBy.default({}),
  /** Number of model calls. */
  calls: Count.default(0),
  tokens: TokenCounts.default(NO_TOKENS),
  tokensBy: z
    .object({ run: TokensBy, task: TokensBy, attempt: TokensBy, model: TokensBy, role: TokensBy })
    .default({ run: {}, task: {}, attempt: {}, model: {}, role: {} }),
  /** The tasks with spend or runner time, most expensive first, with their attempts. */
  tasks: z.array(TaskCost).default([]),
  /** A run's report: its spend against its budget (null in the report of every run). */
  budget: BudgetShare.nullable().default(null),
  burn: BurnRate.nullable().default(null),
});
export type CostReport = z.infer<typeof CostReport>;
