import { describe, expect, it } from "vitest";
import { CALL_FLOORS, sizeCall } from "./call-size.js";
import { worstCaseCost } from "./pricing.js";

const MODEL = "anthropic/claude-sonnet-4-5"; // $3.75 (a cache write) in, $15 out per million tokens
const call = { model: MODEL, inputTokens: 2_000, maxOutputTokens: 8_192, minOutputTokens: CALL_FLOORS.turn };

describe("sizeCall", () => {
  it("keeps the normal max_tokens without a budget or when its worst case fits", () => {
    expect(sizeCall({ ...call, remainingUsd: null })).toEqual({
      kind: "call",
      maxOutputTokens: 8_192,
      worstCaseUsd: worstCaseCost(MODEL, 2_000, 8_192),
    });
    expect(sizeCall({ ...call, remainingUsd: 10 })).toMatchObject({ kind: "call", maxOutputTokens: 8_192 });
  });

  it("lowers max_tokens to what the rest of the budget pays, and the worst case stays within it", () => {
    // $0.02 left: $0.0075 of input leaves $0.0125, 833 output tokens at $15 per million.
    const sized = sizeCall({ ...call, remainingUsd: 0.02 });
    expect(sized).toEqual({ kind: "call", maxOutputTokens: 833, worstCaseUsd: worstCaseCost(MODEL, 2_000, 833) });
    expect(worstCaseCost(MODEL, 2_000, 834)).toBeGreaterThan(0.02);
    for (const remainingUsd of [0.01518, 0.015183, 0.05, 0.123457]) {
      const s = sizeCall({ ...call, remainingUsd });
      if (s.kind !== "call") throw new Error(`expected a call at $${remainingUsd}`);
      expect(s.worstCaseUsd).toBeLessThanOrEqual(remainingUsd);
      expect(s.maxOutputTokens).toBeGreaterThanOrEqual(CALL_FLOORS.turn);
    }
  });

  it("pauses when not even the floor fits, saying what the floor call may cost", () => {
    const floorCost = worstCaseCost(MODEL, 2_000, CALL_FLOORS.turn);
    expect(sizeCall({ ...call, remainingUsd: floorCost })).toMatchObject({
      kind: "call",
      maxOutputTokens: CALL_FLOORS.turn,
    });
    expect(sizeCall({ ...call, remainingUsd: floorCost - 0.000001 })).toEqual({ kind: "pause", neededUsd: floorCost });
    expect(sizeCall({ ...call, remainingUsd: 0 })).toMatchObject({ kind: "pause" });
    // The input alone costs more than is left.
    expect(sizeCall({ ...call, inputTokens: 100_000, remainingUsd: 0.2 })).toMatchObject({ kind: "pause" });
  });

  it("uses the planning floor for planning, never above the call's own maximum", () => {
    const planning = { ...call, maxOutputTokens: 16_000, minOutputTokens: CALL_FLOORS.planning };
    const justBelow = worstCaseCost(MODEL, 2_000, CALL_FLOORS.planning) - 0.000001;
    expect(sizeCall({ ...planning, remainingUsd: justBelow })).toMatchObject({ kind: "pause" });
    expect(sizeCall({ ...call, maxOutputTokens: 100, remainingUsd: 0.009 })).toMatchObject({
      kind: "call",
      maxOutputTokens: 100,
    });
  });

  it("never stops a call to a model without a price", () => {
    expect(sizeCall({ ...call, model: "ollama/llama3", remainingUsd: 0 })).toMatchObject({
      kind: "call",
      maxOutputTokens: 8_192,
      worstCaseUsd: 0,
    });
  });
});
