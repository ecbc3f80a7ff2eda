import { describe, expect, it } from "vitest";
import { costOf, priceOf, worstCaseCost } from "./pricing.js";

describe("pricing", () => {
  it("prices a model by its longest known prefix", () => {
    expect(priceOf("anthropic/claude-sonnet-4-5-20250929").price.input).toBe(3);
    expect(priceOf("claude-opus-4-1").price.output).toBe(75);
    expect(priceOf("openai/gpt-5-mini").price.input).toBe(0.25);
    expect(priceOf("openai/gpt-5.4").price.input).toBe(1.25);
    expect(priceOf("ollama/llama3").known).toBe(false);
  });

  it("computes the cost of a call, cached tokens apart", () => {
    expect(costOf("anthropic/claude-sonnet-4-5", { inputTokens: 1_000_000, outputTokens: 100_000 })).toBe(4.5);
    expect(costOf("claude-sonnet-4-5", { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 })).toBe(0.3);
    expect(costOf("unknown-model", { inputTokens: 5, outputTokens: 5 })).toBe(0);
  });

  it("bounds a call's cost from above", () => {
    const usage = { inputTokens: 20_000, outputTokens: 4_000 };
    expect(worstCaseCost("claude-sonnet-4-5", 20_000, 4_000)).toBeGreaterThanOrEqual(
      costOf("claude-sonnet-4-5", usage),
    );
  });
});
