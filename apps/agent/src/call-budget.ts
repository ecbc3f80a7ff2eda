import { type BudgetAnswer, type BudgetRequest, CALL_FLOORS } from "@bernstein/core";

/** How long a call parked for budget (an attempt's turn, or planning) waits for more. */
export const BUDGET_WAIT = "7 days";

/** A generous estimate of a request's input tokens (about 3 characters a token). */
export function estimateInputTokens(request: object): number {
  return Math.ceil(JSON.stringify(request).length / 3);
}

/**
 * What a model call asks the budget for: its input estimate, its normal `max_tokens`, and the
 * floor below which the call is not worth making (`CALL_FLOORS`: a turn, or planning).
 */
export function budgetRequestFor(
  call: { instanceId: string; step: string; model: string; kind: keyof typeof CALL_FLOORS },
  request: { maxOutputTokens: number },
): BudgetRequest {
  return {
    instanceId: call.instanceId,
    step: call.step,
    model: call.model,
    inputTokens: estimateInputTokens(request),
    maxOutputTokens: request.maxOutputTokens,
    minOutputTokens: CALL_FLOORS[call.kind],
  };
}

/** The request with the `max_tokens` the budget granted (never above its own). */
export function sizedTo<R extends { maxOutputTokens: number }>(
  request: R,
  answer: Extract<BudgetAnswer, { kind: "granted" }>,
): R {
  const granted = answer.maxOutputTokens;
  return granted === undefined || granted >= request.maxOutputTokens
    ? request
    : { ...request, maxOutputTokens: granted };
}

/** Step names of planning's budget waits: the planning call `name` again after the `k`-th wait. */
export const PLAN_BUDGET_STEPS = {
  call: (name: string, k: number): string => (k === 0 ? name : `${name}.${k}`),
  wait: (name: string, k: number): string => `budget-${name}-${k}`,
} as const;
