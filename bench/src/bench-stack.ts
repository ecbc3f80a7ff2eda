import { type BernsteinClient, createClient } from "@bernstein/client";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import { type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { workerBundles } from "./config.js";
import { uploadSnapshot } from "./snapshot.js";
import type { Workload } from "./workload.js";

// Stand-in credentials of an in-memory stack that lives for one run of the bench.
const MODEL_KEY = "sk-ant-bench-0123456789abcdef";
/** The API's bearer token, for requests made without the client. */
export const BENCH_API_TOKEN = "bench-token-0123456789";

/** Bernstein's side of the bench running: the local stack, its client, the scripted model. */
export interface BenchStack {
  stack: LocalStack;
  client: BernsteinClient;
  model: ScriptedModel;
  /** The workload's files, uploaded as the run's base snapshot. */
  baseSnapshot: string;
  /** Stops the stack, then the model. */
  close(): Promise<void>;
}

export interface BenchStackOptions {
  /** Opens workerd's inspector on a free port (read it back with `stack.miniflare.getInspectorURL()`). */
  inspector?: boolean;
  /** Turns on both Workers' usage meter (`BERNSTEIN_METER=1`). */
  meter?: boolean;
}

/**
 * Starts a fresh in-memory local stack (both built Worker bundles under Miniflare) against the
 * workload's scripted model on loopback, and uploads the workload's files through the real
 * client: what every Bernstein run of the bench starts from, as `floor-stack.ts` is the floor's.
 */
export async function startBenchStack(workload: Workload, options: BenchStackOptions = {}): Promise<BenchStack> {
  const model = await startScriptedModel(workload.script, { apiKey: MODEL_KEY });
  let stack: LocalStack | undefined;
  const close = async () => {
    await stack?.stop();
    await model.close();
  };
  try {
    stack = await startLocalStack({
      bundles: workerBundles(),
      token: BENCH_API_TOKEN,
      auditKey: "b".repeat(64),
      env: {
        ANTHROPIC_API_KEY: MODEL_KEY,
        ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
        ...(options.meter ? { BERNSTEIN_METER: "1" } : {}),
      },
      ...(options.inspector ? { inspectorPort: 0 } : {}),
    });
    const client = createClient({ baseUrl: stack.url, token: BENCH_API_TOKEN });
    const baseSnapshot = await uploadSnapshot(client, workload.files);
    return { stack, client, model, baseSnapshot, close };
  } catch (error) {
    await close();
    throw error;
  }
}
