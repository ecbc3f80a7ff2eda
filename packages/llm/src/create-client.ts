import { BernsteinError, formatModelRef, type ModelRef } from "@bernstein/core";
import { createAnthropicClient } from "./anthropic/client.js";
import type { ModelConfig } from "./config.js";
import { createOpenAIClient } from "./openai/client.js";
import type { ModelClient, ProviderSettings } from "./types.js";

const KEY_VARIABLE = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" } as const;

/** The client for a model's provider. Throws `provider_not_configured` naming the missing variable. */
export function createModelClientFor(
  ref: ModelRef,
  config: ModelConfig,
  overrides: Partial<ProviderSettings> = {},
): ModelClient {
  const provider = config.providers[ref.provider];
  if (provider === undefined) {
    const variable = KEY_VARIABLE[ref.provider];
    throw new BernsteinError(
      "provider_not_configured",
      `model ${formatModelRef(ref)} needs ${variable}: set it in the environment (locally) or as a Worker secret (bernstein cloud secrets set ${variable})`,
      { details: { provider: ref.provider, variable } },
    );
  }
  const settings: ProviderSettings = { ...provider, ...overrides };
  return ref.provider === "anthropic" ? createAnthropicClient(settings) : createOpenAIClient(settings);
}
