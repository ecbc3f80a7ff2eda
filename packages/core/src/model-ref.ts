import { z } from "zod";
import { BernsteinError } from "./errors.js";

export const PROVIDERS = ["anthropic", "openai"] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

/** A model named as `provider/model`, e.g. `anthropic/claude-sonnet-4-5` or `openai/gpt-5.4`. */
export interface ModelRef {
  provider: Provider;
  model: string;
}

/** Parses `provider/model`; throws `invalid_model` naming the accepted providers. */
export function parseModelRef(value: string): ModelRef {
  const slash = value.indexOf("/");
  const provider = value.slice(0, slash);
  const model = value.slice(slash + 1).trim();
  if (slash <= 0 || model === "" || !Provider.safeParse(provider).success) {
    throw new BernsteinError(
      "invalid_model",
      `model "${value}" must be written provider/model with provider one of ${PROVIDERS.join(", ")} (e.g. anthropic/claude-sonnet-4-5)`,
    );
  }
  return { provider: provider as Provider, model };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}
