import { priceOf, roundUsd, worstCaseCost } from "./pricing.js";

/**
 * The fewest output tokens worth a model call. Below them a call is not made: the run pauses
 * for budget instead. An agent turn needs room for a tool call with a few lines of code; a
 * plan, for a handful of tasks with their descriptions.
 */
export const CALL_FLOORS = { turn: 512, planning: 1_024 } as const;

export interface CallSizeInput {
  model: string;
  /** The prompt's input tokens, estimated from above (priced uncached). */
  inputTokens: number;
  /** The call's normal `max_tokens`: the budget never raises it. */
  maxOutputTokens: number;
  /** The fewest output tokens worth the call (`CALL_FLOORS`). */
  minOutputTokens: number;
  /** What the budget can still pay for; null without a budget. */
  remainingUsd: number | null;
}

/**
 * `call`: make the call with `maxOutputTokens`; `worstCaseUsd` is its most (reserve that).
 * `pause`: not even the floor fits; `neededUsd` is what the floor call may cost.
 */
export type CallSize =
  | { kind: "call"; maxOutputTokens: number; worstCaseUsd: number }
  | { kind: "pause"; neededUsd: number };

/**
 * Sizes a call to what the budget can pay: the normal `max_tokens` when its worst case fits,
 * fewer output tokens when only that fits, a pause when not even `minOutputTokens` fit. The
 * worst case of the sized call never passes `remainingUsd`, so a reservation of it keeps the
 * spend within the budget.
 */
export function sizeCall(input: CallSizeInput): CallSize {
  const { model, inputTokens, maxOutputTokens, remainingUsd } = input;
  const full = worstCaseCost(model, inputTokens, maxOutputTokens);
  if (remainingUsd === null || full <= remainingUsd) {
    return { kind: "call", maxOutputTokens, worstCaseUsd: full };
  }
  const floor = Math.min(Math.max(1, input.minOutputTokens), maxOutputTokens);
  const { price } = priceOf(model);
  const inputUsd = (inputTokens * Math.max(price.input, price.cacheWrite)) / 1e6;
  // The most output tokens the rest pays for (price.output > 0 here: a free model's call always fits).
  let tokens = Math.min(maxOutputTokens, Math.floor(((remainingUsd - inputUsd) * 1e6) / price.output));
  // worstCaseCost rounds to a millionth of a dollar: step down until the rounded cost fits too.
  while (tokens >= floor && worstCaseCost(model, inputTokens, tokens) > remainingUsd) tokens--;
  if (tokens < floor) return { kind: "pause", neededUsd: roundUsd(worstCaseCost(model, inputTokens, floor)) };
  return { kind: "call", maxOutputTokens: tokens, worstCaseUsd: worstCaseCost(model, inputTokens, tokens) };
}
