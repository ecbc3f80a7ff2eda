import { fileURLToPath } from "node:url";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import { type ModelScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";

export const MODEL_KEY = "sk-ant-test-orchestrator-0123456789";

export interface TestStack {
  stack: LocalStack;
  model: ScriptedModel;
  /** `fetch` against the stack with the bearer token (unless `auth: false`). */
  api(path: string, init?: RequestInit & { auth?: false | string }): Promise<Response>;
  stop(): Promise<void>;
}

/** The built orchestrator bundle and the agent's, in an in-memory local stack with a scripted model. */
export async function startTestStack(script: ModelScript): Promise<TestStack> {
  const model = await startScriptedModel(script, { apiKey: MODEL_KEY });
  const stack = await startLocalStack({
    bundles: {
      orchestrator: fileURLToPath(new URL("../../dist/index.js", import.meta.url)),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    token: "test-token-orchestrator",
    auditKey: "a".repeat(64),
    env: { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  return {
    stack,
    model,
    api: (path, init = {}) => {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth !== false) headers.set("authorization", `Bearer ${auth ?? stack.token}`);
      if (typeof rest.body === "string") headers.set("content-type", "application/json");
      return fetch(`${stack.url}${path}`, { ...rest, headers });
    },
    stop: async () => {
      await stack.stop();
      await model.close();
    },
  };
}
