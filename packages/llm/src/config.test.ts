import { startScriptedModel } from "@bernstein/testing";
import { describe, expect, it } from "vitest";
import { modelConfigFromEnv } from "./config.js";
import { createModelClientFor } from "./create-client.js";

describe("modelConfigFromEnv", () => {
  it("defaults to Anthropic with an Anthropic key, else OpenAI with an OpenAI key, else Anthropic", () => {
    expect(modelConfigFromEnv({ ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: "o" }).defaultModel).toEqual({
      provider: "anthropic",
      model: "claude-sonnet-4-5",
    });
    expect(modelConfigFromEnv({ OPENAI_API_KEY: "o" }).defaultModel).toEqual({ provider: "openai", model: "gpt-5" });
    const bare = modelConfigFromEnv({});
    expect(bare).toEqual({
      defaultModel: { provider: "anthropic", model: "claude-sonnet-4-5" },
      plannerModel: { provider: "anthropic", model: "claude-sonnet-4-5" },
      providers: {},
    });
  });

  it("reads the models, keys and base URLs; blank values count as unset", () => {
    const config = modelConfigFromEnv({
      BERNSTEIN_MODEL: "openai/gpt-5.4",
      BERNSTEIN_PLANNER_MODEL: "anthropic/claude-opus-4-5",
      ANTHROPIC_API_KEY: "ak",
      ANTHROPIC_BASE_URL: " ",
      OPENAI_API_KEY: "ok",
      OPENAI_BASE_URL: "http://localhost:11434/v1",
      UNRELATED: 42,
    });
    expect(config).toEqual({
      defaultModel: { provider: "openai", model: "gpt-5.4" },
      plannerModel: { provider: "anthropic", model: "claude-opus-4-5" },
      providers: { anthropic: { apiKey: "ak" }, openai: { apiKey: "ok", baseUrl: "http://localhost:11434/v1" } },
    });
  });

  it("uses the default model for planning unless told otherwise, and rejects a model without provider", () => {
    expect(modelConfigFromEnv({ BERNSTEIN_MODEL: "openai/gpt-5-mini" }).plannerModel).toEqual({
      provider: "openai",
      model: "gpt-5-mini",
    });
    expect(() => modelConfigFromEnv({ BERNSTEIN_MODEL: "gpt-5" })).toThrow(
      expect.objectContaining({ code: "invalid_model" }),
    );
  });
});

describe("createModelClientFor", () => {
  it("throws provider_not_configured naming the missing variable", () => {
    const config = modelConfigFromEnv({ ANTHROPIC_API_KEY: "k" });
    expect(() => createModelClientFor({ provider: "openai", model: "gpt-5" }, config)).toThrow(
      expect.objectContaining({
        code: "provider_not_configured",
        message: expect.stringContaining("OPENAI_API_KEY"),
        details: { provider: "openai", variable: "OPENAI_API_KEY" },
      }),
    );
    expect(() => createModelClientFor(config.defaultModel, modelConfigFromEnv({}))).toThrow(/ANTHROPIC_API_KEY/);
  });

  it("builds a working client for each provider from the environment's key and base URL", async () => {
    const model = await startScriptedModel({ tasks: { ping: [{ text: "pong" }] } }, { apiKey: "env-key" });
    try {
      const config = modelConfigFromEnv({
        ANTHROPIC_API_KEY: "env-key",
        ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
        OPENAI_API_KEY: "env-key",
        OPENAI_BASE_URL: model.openaiBaseUrl,
      });
      const req = {
        model: "x",
        messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "ping" }] }],
        maxOutputTokens: 5,
      };
      for (const provider of ["anthropic", "openai"] as const) {
        const client = createModelClientFor({ provider, model: "x" }, config);
        expect(client.provider).toBe(provider);
        expect((await client.complete(req)).content).toEqual([{ type: "text", text: "pong" }]);
      }
      expect(model.requests.map((r) => r.provider)).toEqual(["anthropic", "openai"]);
    } finally {
      await model.close();
    }
  });
});
