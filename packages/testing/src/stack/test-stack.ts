import { type LocalStack, startLocalStack, type WorkerBundles } from "@bernstein/local-stack";
import type { ModelScript, ScriptedModel } from "../script.js";
import { startScriptedModel } from "../scripted-model.js";

/** The model key the harness gives the stack: tests check it never leaks. */
export const TEST_MODEL_KEY = "sk-ant-test-harness-0123456789";
export const TEST_API_TOKEN = "test-token-harness";

export interface TestStack {
  stack: LocalStack;
  model: ScriptedModel;
  /** `fetch` against the stack with the API token (another token, or none with `auth: false`); a string body is JSON unless a content-type is given. */
  api(path: string, init?: RequestInit & { auth?: false | string }): Promise<Response>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** The built Worker bundles (apps cannot be imported by packages, so the caller finds them). */
  bundles: WorkerBundles;
  script: ModelScript;
  /** Extra orchestrator settings (e.g. `EVENT_STREAM_MAX_SECONDS`). */
  settings?: Record<string, string>;
  /** Configure the OpenAI-compatible provider too (runs whose model is `openai/...`); default off. */
  openai?: boolean;
}

/**
 * The local-stack harness of the tests: both Workers under Miniflare in memory (real D1, R2,
 * Durable Objects, Workflows) with a scripted model on loopback as their Anthropic API (and, with
 * `openai`, as their OpenAI-compatible API, for runs whose model is `openai/...`).
 */
export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  const model = await startScriptedModel(options.script, { apiKey: TEST_MODEL_KEY });
  const stack = await startLocalStack({
    bundles: options.bundles,
    token: TEST_API_TOKEN,
    auditKey: "a".repeat(64),
    env: {
      ANTHROPIC_API_KEY: TEST_MODEL_KEY,
      ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
      ...(options.openai ? { OPENAI_API_KEY: TEST_MODEL_KEY, OPENAI_BASE_URL: model.openaiBaseUrl } : {}),
    },
    ...(options.settings ? { settings: options.settings } : {}),
  });
  return {
    stack,
    model,
    api: (path, init = {}) => {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth !== false) headers.set("authorization", `Bearer ${auth ?? stack.token}`);
      if (typeof rest.body === "string" && !headers.has("content-type"))
        headers.set("content-type", "application/json");
      return fetch(`${stack.url}${path}`, { ...rest, headers });
    },
    stop: async () => {
      await stack.stop();
      await model.close();
    },
  };
}
