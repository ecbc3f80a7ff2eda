import { type ModelScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import { createOpenAIClient } from "./openai/client.js";
import { retryAfterMs } from "./retry-after.js";
import type { ModelRequest } from "./types.js";

// The client makes one HTTP request per call and says whether (and when) another may help;
// the Workflow step is the one retry layer (README "Retries").
const KEY = "sk-retry-test-0123456789abcdef";
const script: ModelScript = {
  tasks: {
    "rate limited": [{ text: "after a 429", fail: { status: 429, retryAfterSeconds: 2 } }],
    overloaded: [{ text: "after a 529", fail: { status: 529 } }],
    unavailable: [{ text: "after a 503", fail: { status: 503 } }],
  },
};

let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: KEY });
});
afterAll(() => model.close());

const ask = (text: string, stream = false): ModelRequest => ({
  model: "m",
  messages: [{ role: "user", content: [{ type: "text", text }] }],
  maxOutputTokens: 100,
  stream,
});
const statusesFor = (key: string) => model.requests.filter((r) => r.key === key).map((r) => r.status);

describe("one request per call", () => {
  it("passes a 429 on with the wait retry-after asks for, and the next call succeeds", async () => {
    const client = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl });
    await expect(client.complete(ask("rate limited"))).rejects.toMatchObject({
      code: "model_rate_limited",
      details: { provider: "anthropic", status: 429, retryable: true, retryAfterMs: 2000 },
    });
    expect(statusesFor("rate limited")).toEqual([429]);
    const res = await client.complete(ask("rate limited"));
    expect(res.content).toEqual([{ type: "text", text: "after a 429" }]);
    expect(statusesFor("rate limited")).toEqual([429, 200]);
  });

  it("reports 529 and an OpenAI 503 as model_unavailable, retryable", async () => {
    const anthropic = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl });
    await expect(anthropic.complete(ask("overloaded", true))).rejects.toMatchObject({
      code: "model_unavailable",
      details: { status: 529, retryable: true },
    });
    const openai = createOpenAIClient({ apiKey: KEY, baseUrl: model.openaiBaseUrl });
    await expect(openai.complete(ask("unavailable"))).rejects.toMatchObject({
      code: "model_unavailable",
      details: { status: 503, retryable: true },
    });
    expect([...statusesFor("overloaded"), ...statusesFor("unavailable")]).toEqual([529, 503]);
  });

  it("marks a failure the server says not to retry (x-should-retry: false) and a refused key as final", async () => {
    const noRetry: typeof fetch = async () =>
      new Response('{"error":{"type":"overloaded_error","message":"go away"}}', {
        status: 529,
        headers: { "x-should-retry": "false" },
      });
    const client = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl, fetch: noRetry });
    await expect(client.complete(ask("x"))).rejects.toMatchObject({
      code: "model_unavailable",
      details: { retryable: false },
    });
    const refused = createAnthropicClient({ apiKey: "sk-wrong", baseUrl: model.anthropicBaseUrl });
    await expect(refused.complete(ask("x"))).rejects.toMatchObject({
      code: "model_auth",
      details: { retryable: false },
    });
  });

  it("reports a network error as model_unavailable naming the host", async () => {
    const gone = await startScriptedModel({ tasks: {} });
    await gone.close();
    const client = createAnthropicClient({ apiKey: KEY, baseUrl: gone.url });
    const error = await client.complete(ask("x")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_unavailable", details: { network: true, retryable: true } });
    expect((error as Error).message).toContain(new URL(gone.url).host);
  });

  it("reports a stream that breaks with an overloaded error event as model_unavailable", async () => {
    const broken: typeof fetch = async () => {
      const body =
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":1}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const client = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl, fetch: broken });
    await expect(client.complete(ask("x", true))).rejects.toMatchObject({
      code: "model_unavailable",
      details: { retryable: true },
    });
  });

  it("reports an OpenAI stream cut before [DONE] as retryable", async () => {
    const cut: typeof fetch = async () => {
      const body =
        'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"par"}}]}\n\n';
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: model.openaiBaseUrl, fetch: cut });
    await expect(client.complete(ask("x", true))).rejects.toMatchObject({ details: { retryable: true } });
  });

  it("stops at once when the caller aborts", async () => {
    const slow = await startScriptedModel({ tasks: { slow: [{ text: "late" }] } });
    const release = slow.hold();
    try {
      const client = createAnthropicClient({ apiKey: KEY, baseUrl: slow.url });
      const controller = new AbortController();
      const answer = client.complete(ask("slow"), { signal: controller.signal }).catch((e: unknown) => e);
      await expect.poll(() => slow.requests.length).toBe(1);
      controller.abort();
      expect(await answer).toMatchObject({ code: "model_error", details: { aborted: true } });
    } finally {
      release();
      await slow.close();
    }
  });
});

describe("retryAfterMs", () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it("reads retry-after-ms, seconds and HTTP dates", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "1500", "retry-after": "9" }))).toBe(1500);
    expect(retryAfterMs(headers({ "retry-after": "3" }))).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
});
