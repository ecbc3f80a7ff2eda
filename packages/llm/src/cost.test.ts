import { type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import { usageToCost } from "./cost.js";
import { createOpenAIClient } from "./openai/client.js";
import type { ModelRequest } from "./types.js";

let model: ScriptedModel;
beforeAll(async () => {
  const usage = { input: 10_000, output: 2_000, cacheRead: 40_000 };
  model = await startScriptedModel({ tasks: { priced: [{ text: "ok", usage }] } });
});
afterAll(() => model.close());

const ask = (name: string, stream: boolean): ModelRequest => ({
  model: name,
  messages: [{ role: "user", content: [{ type: "text", text: "priced" }] }],
  maxOutputTokens: 100,
  stream,
});

describe("usageToCost", () => {
  it.each([false, true])(
    "prices an OpenAI answer with its cached tokens taken out of the input (stream: %s)",
    async (stream) => {
      const res = await createOpenAIClient({ apiKey: "k", baseUrl: model.openaiBaseUrl }).complete(
        ask("gpt-5", stream),
      );
      // The wire said prompt_tokens 50,000 of which 40,000 cached.
      expect(res.usage).toEqual({
        inputTokens: 10_000,
        outputTokens: 2_000,
        cacheReadTokens: 40_000,
        cacheWriteTokens: 0,
      });
      // gpt-5: $1.25 in, $10 out, $0.125 cached per million.
      expect(usageToCost("gpt-5", res.usage)).toBeCloseTo(0.0125 + 0.02 + 0.005, 9);
    },
  );

  it("prices an Anthropic answer the same way", async () => {
    const res = await createAnthropicClient({ apiKey: "k", baseUrl: model.anthropicBaseUrl }).complete(
      ask("claude-sonnet-4-5", true),
    );
    expect(res.usage).toEqual({
      inputTokens: 10_000,
      outputTokens: 2_000,
      cacheReadTokens: 40_000,
      cacheWriteTokens: 0,
    });
    // claude-sonnet: $3 in, $15 out, $0.30 cache read per million.
    expect(usageToCost(`anthropic/${res.model}`, res.usage)).toBeCloseTo(0.03 + 0.03 + 0.012, 9);
  });

  it("prices unknown models at zero", () => {
    expect(
      usageToCost("llama3", { inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 0, cacheWriteTokens: 0 }),
    ).toBe(0);
  });
});
