import { fileURLToPath } from "node:url";
import { type PlanInput, type RunView, validatePlan } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  type TestStack as Harness,
  type ModelScript,
  startTestStack as startHarness,
  TEST_API_TOKEN,
  uploadSnapshot,
} from "@bernstein/testing";
import { type BernsteinClient, createClient } from "../../src/index.js";

export const TOKEN = TEST_API_TOKEN;

/** The test harness's local stack, with a client of it and a way to start calculator runs. */
export interface TestStack extends Harness {
  client: BernsteinClient;
  /**
   * Uploads the calculator example and starts a run of it, with the calculator plan (no planning
   * call) unless `plan` is false (the model plans) or another plan.
   */
  startCalculatorRun(options?: {
    plan?: false | PlanInput;
    maxAgents?: number;
    approveAll?: boolean;
    budgetUsd?: number;
    verifyCommands?: string[];
  }): Promise<RunView>;
}

export async function startTestStack(script: ModelScript, settings?: Record<string, string>): Promise<TestStack> {
  const harness = await startHarness({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    script,
    ...(settings ? { settings } : {}),
  });
  const client = createClient({ baseUrl: harness.stack.url, token: TOKEN });
  let snapshot: string | undefined;
  return {
    ...harness,
    client,
    async startCalculatorRun(options = {}) {
      snapshot ??= (await uploadSnapshot(harness, calculatorFiles())).sha256;
      return client.createRun({
        goal: CALCULATOR_GOAL,
        baseSnapshot: snapshot,
        ...(options.plan === false ? {} : { plan: validatePlan(options.plan ?? CALCULATOR_PLAN) }),
        ...(options.maxAgents === undefined ? {} : { maxAgents: options.maxAgents }),
        ...(options.approveAll === undefined ? {} : { approveAll: options.approveAll }),
        ...(options.budgetUsd === undefined ? {} : { budgetUsd: options.budgetUsd }),
        ...(options.verifyCommands === undefined ? {} : { verifyCommands: options.verifyCommands }),
      });
    },
  };
}
