import { type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import { createOpenAIClient } from "./openai/client.js";
import type { ModelClient, ModelRequest } from "./types.js";

const KEY = "sk-leak-canary-7f3a9c2e5b1d";
let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel({ tasks: { hello: [{ text: "hi" }] } }, { apiKey: KEY });
});
afterAll(() => model.close());

const ask = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: "m",
  messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
  maxOutputTokens: 10,
  ...extra,
});

/** Everything an error carries that could end up in a log. */
function exposed(error: unknown): string {
  const e = error as Error & { details?: unknown; cause?: unknown };
  return [
    e.message,
    e.stack,
    JSON.stringify(e),
    JSON.stringify(e.details),
    String(e.cause),
    (e.cause as Error | undefined)?.stack,
  ].join("\n");
}

async function failure(client: ModelClient, req: ModelRequest): Promise<unknown> {
  return client.complete(req).then(
    () => expect.unreachable("the call should fail"),
    (error: unknown) => error,
  );
}

describe("provider errors", () => {
  it("surfaces the provider's 400 message as model_bad_request, without retrying", async () => {
    const anthropic = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl });
    const before = model.requests.length;
    const error = await failure(anthropic, ask({ temperature: 1.5 }));
    expect(error).toMatchObject({
      code: "model_bad_request",
      details: { provider: "anthropic", status: 400, type: "invalid_request_error" },
    });
    expect((error as Error).message).toMatch(/anthropic rejected the request \(400\): temperature: /);
    expect(model.requests.length - before).toBe(1);

    const openai = createOpenAIClient({ apiKey: KEY, baseUrl: model.openaiBaseUrl });
    const other = await failure(openai, ask({ temperature: 3 }));
    expect(other).toMatchObject({ code: "model_bad_request", details: { provider: "openai", status: 400 } });
    expect((other as Error).message).toMatch(/openai rejected the request \(400\): Invalid 'temperature'/);
  });

  it("maps 404 (a wrong base URL) to model_bad_request", async () => {
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: `${model.url}/nowhere` });
    expect(await failure(client, ask())).toMatchObject({ code: "model_bad_request", details: { status: 404 } });
  });

  it("maps a wrong key to model_auth naming the variable, and never shows any key", async () => {
    const wrong = "sk-wrong-canary-1d2c3b4a";
    const anthropic = await failure(createAnthropicClient({ apiKey: wrong, baseUrl: model.anthropicBaseUrl }), ask());
    expect(anthropic).toMatchObject({ code: "model_auth", details: { status: 401 } });
    expect((anthropic as Error).message).toContain("ANTHROPIC_API_KEY");
    const openai = await failure(createOpenAIClient({ apiKey: wrong, baseUrl: model.openaiBaseUrl }), ask());
    expect(openai).toMatchObject({ code: "model_auth", details: { status: 401 } });
    expect((openai as Error).message).toContain("OPENAI_API_KEY");
    // The provider's own reason is kept: it says what is wrong with the key.
    expect((anthropic as Error).message).toBe(
      "anthropic refused the API key (401): invalid x-api-key; check ANTHROPIC_API_KEY",
    );
    expect((openai as Error).message).toContain("Incorrect API key provided.");
    for (const error of [anthropic, openai]) {
      expect(exposed(error)).not.toContain(wrong);
      expect(exposed(error)).not.toContain(KEY);
    }
  });

  it("shows a provider's reason for refusing a key without any part of the key it quotes", async () => {
    const quoting =
      (message: string): typeof fetch =>
      async () =>
        new Response(JSON.stringify({ error: { type: "authentication_error", message } }), { status: 401 });
    const masked = `Incorrect API key provided: ${KEY.slice(0, 9)}****${KEY.slice(-4)}. Find your key at the console.`;
    const whole = `key ${KEY} was revoked`;
    const other = "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz is not this organisation's";
    const errors = await Promise.all(
      [masked, whole, other].map((m) =>
        failure(createAnthropicClient({ apiKey: KEY, baseUrl: model.url, fetch: quoting(m) }), ask()),
      ),
    );
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "anthropic refused the API key (401): Incorrect API key provided: [redacted] Find your key at the console.; check ANTHROPIC_API_KEY",
      "anthropic refused the API key (401): key [redacted] was revoked; check ANTHROPIC_API_KEY",
      "anthropic refused the API key (401): key [REDACTED] is not this organisation's; check ANTHROPIC_API_KEY",
    ]);
    for (const error of errors) {
      expect(exposed(error)).not.toContain(KEY.slice(0, 9));
      expect(exposed(error)).not.toContain(KEY.slice(-4));
    }
  });

  it("keeps the key out of every error, even when a server or network error quotes it", async () => {
    const echo: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { type: "invalid_request_error", message: `bad key ${KEY} in header` } }), {
        status: 400,
      });
    const thrower: typeof fetch = async () => {
      throw new TypeError(`connect failed for key ${KEY}`);
    };
    const errors = [
      await failure(createAnthropicClient({ apiKey: KEY, baseUrl: model.url, fetch: echo }), ask()),
      await failure(createOpenAIClient({ apiKey: KEY, baseUrl: model.openaiBaseUrl, fetch: thrower }), ask()),
      await failure(createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl }), ask({ temperature: 2 })),
    ];
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      "model_bad_request",
      "model_unavailable",
      "model_bad_request",
    ]);
    expect((errors[0] as Error).message).toContain("bad key [redacted] in header");
    for (const error of errors) expect(exposed(error)).not.toContain(KEY);
  });

  it("maps another status to model_error", async () => {
    const teapot: typeof fetch = async () => new Response("I'm a teapot", { status: 418 });
    const error = await failure(createOpenAIClient({ apiKey: KEY, fetch: teapot }), ask());
    expect(error).toMatchObject({ code: "model_error", details: { status: 418 } });
    expect((error as Error).message).toBe("openai answered 418: I'm a teapot");
  });
});
