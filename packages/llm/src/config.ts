import { type ModelRef, parseModelRef } from "@bernstein/core";

export interface ProviderConfig {
  apiKey: string;
  baseUrl?: string;
}

/** Which models to use and how to reach their providers (from ARCHITECTURE 4.2's variables). */
export interface ModelConfig {
  defaultModel: ModelRef;
  plannerModel: ModelRef;
  providers: { anthropic?: ProviderConfig; openai?: ProviderConfig };
}

export const DEFAULT_ANTHROPIC_MODEL = "anthropic/claude-sonnet-4-5";
export const DEFAULT_OPENAI_MODEL = "openai/gpt-5";

/** A variable's value when it is a non-blank string (Worker bindings may be anything). */
function read(env: object, name: string): string | undefined {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function provider(apiKey: string | undefined, baseUrl: string | undefined): ProviderConfig | undefined {
  if (apiKey === undefined) return undefined;
  return baseUrl === undefined ? { apiKey } : { apiKey, baseUrl };
}

/**
 * Reads BERNSTEIN_MODEL, BERNSTEIN_PLANNER_MODEL and the provider keys and base URLs. Without
 * BERNSTEIN_MODEL the default follows the key that is set (Anthropic first). Throws
 * `invalid_model` for a model not written `provider/model`.
 */
export function modelConfigFromEnv(env: object): ModelConfig {
  const anthropic = provider(read(env, "ANTHROPIC_API_KEY"), read(env, "ANTHROPIC_BASE_URL"));
  const openai = provider(read(env, "OPENAI_API_KEY"), read(env, "OPENAI_BASE_URL"));
  const fallback = anthropic ? DEFAULT_ANTHROPIC_MODEL : openai ? DEFAULT_OPENAI_MODEL : DEFAULT_ANTHROPIC_MODEL;
  const defaultModel = parseModelRef(read(env, "BERNSTEIN_MODEL") ?? fallback);
  const planner = read(env, "BERNSTEIN_PLANNER_MODEL");
  return {
    defaultModel,
    plannerModel: planner === undefined ? defaultModel : parseModelRef(planner),
    providers: { ...(anthropic ? { anthropic } : {}), ...(openai ? { openai } : {}) },
  };
}
