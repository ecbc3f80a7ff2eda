import { createArtifactStore } from "@bernstein/artifacts";
import {
  BernsteinError,
  type CreateRunRequest,
  checkPlanInSlices,
  DEFAULTS,
  defaultCommandPolicy,
  formatModelRef,
  type ModelRef,
  makeId,
  type Plan,
  parseModelRef,
  type Run,
  runInSlices,
} from "@bernstein/core";
import { type ModelConfig, modelConfigFromEnv } from "@bernstein/llm";
import type { Env } from "../env.js";
import { yieldToIo } from "../yield-to-io.js";

const encoder = new TextEncoder();

/**
 * Checks a create-run request completely before anything is written (unknown snapshot, bad
 * plan, unknown model or a provider without a key are 400s) and builds the run row. The plan
 * came through its schema with the body; its checks run in slices, yielding to I/O between. The run
 * id comes from the idempotency key when there is one, so a retried create names the same run.
 */
export async function newRun(body: CreateRunRequest, env: Env): Promise<{ run: Run; plan: Plan | null }> {
  const store = createArtifactStore(env.ARTIFACTS);
  if (!(await store.getManifest(body.baseSnapshot))) {
    throw new BernsteinError(
      "invalid_body",
      `unknown base snapshot ${body.baseSnapshot}: upload it with POST /v1/snapshots first`,
    );
  }
  const plan = body.plan ? await runInSlices(checkPlanInSlices(body.plan), yieldToIo) : null;
  const config = modelConfigFromEnv(env);
  const model = body.model ? parseModelRef(body.model) : config.defaultModel;
  const planner = body.plannerModel
    ? parseModelRef(body.plannerModel)
    : env.BERNSTEIN_PLANNER_MODEL || !body.model
      ? config.plannerModel
      : model;
  requireProvider(config, model);
  if (!plan) requireProvider(config, planner);

  const now = new Date().toISOString();
  const seed = body.idempotencyKey
    ? new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`run:${body.idempotencyKey}`)))
    : crypto.getRandomValues(new Uint8Array(12));
  const run: Run = {
    id: makeId("r", seed),
    goal: body.goal,
    status: "planning",
    model: formatModelRef(model),
    plannerModel: formatModelRef(planner),
    maxAgents: body.maxAgents ?? DEFAULTS.maxAgents,
    maxRetries: body.maxRetries ?? DEFAULTS.maxRetries,
    budgetUsd: body.budgetUsd,
    spentUsd: 0,
    baseSnapshot: body.baseSnapshot,
    baseCommit: body.baseCommit,
    verifyCommands: body.verifyCommands,
    verifySetup: body.verifySetup,
    verifySetupInputs: body.verifySetupInputs,
    verifyReports: body.verifyReports,
    repository: body.repository,
    verification: null,
    commands: body.commands ?? defaultCommandPolicy(),
    approveAll: body.approveAll,
    integrationSeq: 0,
    integrationManifest: body.baseSnapshot,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  return { run, plan };
}

const KEY_VARIABLE = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" } as const;

function requireProvider(config: ModelConfig, ref: ModelRef): void {
  if (!config.providers[ref.provider]) {
    throw new BernsteinError(
      "provider_not_configured",
      `model ${formatModelRef(ref)} needs ${KEY_VARIABLE[ref.provider]} in the stack's environment`,
    );
  }
}
