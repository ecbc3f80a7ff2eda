import { BernsteinError, formatModelRef, type ModelRef, parseModelRef } from "@bernstein/core";
import { modelConfigFromEnv } from "@bernstein/llm";

/** The models a stack was started with, and which providers have a key (names only, no keys). */
export interface ModelSummary {
  defaultModel: string;
  plannerModel: string;
  providers: string[];
}

const KEY_VARIABLE: Record<string, string> = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" };

/** What a stack started with `env` will use (throws `invalid_model` for a misspelt BERNSTEIN_MODEL). */
export function modelSummaryOf(env: Readonly<Record<string, string | undefined>>): ModelSummary {
  const config = modelConfigFromEnv(env);
  return {
    defaultModel: formatModelRef(config.defaultModel),
    plannerModel: formatModelRef(config.plannerModel),
    providers: Object.keys(config.providers).sort(),
  };
}

/**
 * Checks, before anything starts or uploads, that the stack can reach the models a run needs:
 * the agents' (`--model`, else the stack's default) and the planner's (unless a plan is given).
 * `where` says whose configuration it is, for the fix line.
 */
export function checkRunModels(
  summary: ModelSummary,
  options: { model?: string | undefined; planned: boolean; where: "env" | "stack" },
): void {
  const agents = options.model ? parseModelRef(options.model) : parseModelRef(summary.defaultModel);
  const planner =
    options.model && summary.plannerModel === summary.defaultModel ? agents : parseModelRef(summary.plannerModel);
  for (const ref of options.planned ? [agents] : [agents, planner]) requireKey(summary, ref, options.where);
}

function requireKey(summary: ModelSummary, ref: ModelRef, where: "env" | "stack"): void {
  if (summary.providers.includes(ref.provider)) return;
  const variable = KEY_VARIABLE[ref.provider] ?? "the provider's API key";
  const fix =
    where === "env"
      ? `Set ${variable} (or pick another model with --model / BERNSTEIN_MODEL), then run again.`
      : `The running stack was started without ${variable}: set it, run \`bernstein dev stop\`, then run again (the stack restarts with it).`;
  throw new BernsteinError("provider_not_configured", `model ${formatModelRef(ref)} needs ${variable}`, {
    details: { provider: ref.provider, variable, fix },
  });
}
