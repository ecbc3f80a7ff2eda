import { z } from "zod";

/** Token counts of one model call. `inputTokens` excludes cached tokens, which count apart. */
export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative().default(0),
  cacheWriteTokens: z.number().int().nonnegative().default(0),
});
export type Usage = z.infer<typeof Usage>;
export type UsageInput = z.input<typeof Usage>;

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * List prices in USD per million tokens. Keys are model-name prefixes: the longest key that
 * starts the model name wins, so dated or newer point releases (`claude-sonnet-4-5-20250929`,
 * `claude-sonnet-5-5`) are priced by their family until they get an entry of their own.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-4-5": { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  "claude-opus-4-1": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  "claude-opus-4-0": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  "claude-opus": { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  "claude-sonnet": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-haiku-4": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  "claude-haiku": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  "gpt-5-nano": { input: 0.05, output: 0.4, cacheRead: 0.005, cacheWrite: 0 },
  "gpt-5-mini": { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0 },
  "gpt-5": { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 },
  "gpt-4.1": { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
  "gpt-4o": { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 },
  "o4-mini": { input: 1.1, output: 4.4, cacheRead: 0.275, cacheWrite: 0 },
  o3: { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
};

/** Price used for models the table does not know (local models, unknown providers). */
export const UNKNOWN_MODEL_PRICE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

const PRICE_KEYS = Object.keys(MODEL_PRICES).sort((a, b) => b.length - a.length);

/** The price entry for a model (`provider/name` or bare name), and whether it is known. */
export function priceOf(model: string): { price: ModelPrice; known: boolean } {
  const name = model.includes("/") ? model.slice(model.indexOf("/") + 1) : model;
  const key = PRICE_KEYS.find((k) => name.startsWith(k));
  return key ? { price: MODEL_PRICES[key] as ModelPrice, known: true } : { price: UNKNOWN_MODEL_PRICE, known: false };
}

/** USD cost of one call's usage, rounded to a millionth of a dollar. */
export function costOf(model: string, usage: UsageInput): number {
  const { price } = priceOf(model);
  const u = Usage.parse(usage);
  const micro =
    u.inputTokens * price.input +
    u.outputTokens * price.output +
    u.cacheReadTokens * price.cacheRead +
    u.cacheWriteTokens * price.cacheWrite;
  return roundUsd(micro / 1_000_000);
}

/** The most one call can cost: every input token uncached and every output token used. */
export function worstCaseCost(model: string, maxInputTokens: number, maxOutputTokens: number): number {
  const { price } = priceOf(model);
  return roundUsd((maxInputTokens * Math.max(price.input, price.cacheWrite) + maxOutputTokens * price.output) / 1e6);
}

/** Rounds to 6 decimals so sums of many small costs stay stable. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
