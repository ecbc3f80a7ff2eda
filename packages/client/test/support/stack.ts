import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Manifest, type PlanInput, type RunView, validatePlan } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  fixtureSourceDir,
  type ModelScript,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { type BernsteinClient, createClient } from "../../src/index.js";

const MODEL_KEY = "sk-ant-test-client-0123456789";
export const TOKEN = "test-token-client";

/** The real local stack (both Worker bundles under Miniflare, in memory) with a scripted model. */
export interface TestStack {
  stack: LocalStack;
  model: ScriptedModel;
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
  stop(): Promise<void>;
}

export async function startTestStack(script: ModelScript, settings?: Record<string, string>): Promise<TestStack> {
  const model = await startScriptedModel(script, { apiKey: MODEL_KEY });
  const stack = await startLocalStack({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    token: TOKEN,
    auditKey: "c".repeat(64),
    env: { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
    ...(settings ? { settings } : {}),
  });
  const client = createClient({ baseUrl: stack.url, token: TOKEN });
  let snapshot: string | undefined;
  return {
    stack,
    model,
    client,
    async startCalculatorRun(options = {}) {
      snapshot ??= await uploadCalculator(client);
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
    async stop() {
      await stack.stop();
      await model.close();
    },
  };
}

/** Uploads the files of `examples/calculator` (what the calculator script expects) as a snapshot. */
async function uploadCalculator(client: BernsteinClient): Promise<string> {
  const root = fixtureSourceDir("calculator");
  const manifest: Manifest = {};
  const blobs = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      manifest[relative(root, path).split(sep).join("/")] = { sha256, mode: "100644", size: bytes.length };
      blobs.set(sha256, bytes);
    }
  };
  walk(root);
  const missing = await client.missingBlobs([...blobs.keys()]);
  await Promise.all(missing.map((sha) => client.putBlob(sha, blobs.get(sha) as Buffer)));
  return (await client.createSnapshot(manifest)).sha256;
}
