import { type ModelScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import { createOpenAIClient } from "./openai/client.js";
import { backoffMs, retryAfterMs } from "./retry-after.js";
import type { ModelRequest, ProviderSettings } from "./types.js";

const KEY = "sk-retry-test-0123456789abcdef";
const script: ModelScript = {
  tasks: {
    "rate limited": [{ text: "after a 429", fail: { status: 429, retryAfterSeconds: 2 } }],
    overloaded: [{ text: "after two 529s", fail: { status: 529, times: 2 } }],
    unavailable: [{ text: "after a 503", fail: { status: 503 } }],
    "always limited": [{ text: "never", fail: { status: 429, retryAfterSeconds: 1, times: 1000 } }],
    "always down": [{ text: "never", fail: { status: 500, times: 1000 } }],
    "come back later": [{ text: "never", fail: { status: 429, retryAfterSeconds: 30, times: 1000 } }],
  },
};

let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: KEY });
});
afterAll(() => model.close());

function settings(waits: number[], extra: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    apiKey: KEY,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
}
const ask = (text: string, stream = false): ModelRequest => ({
  model: "m",
  messages: [{ role: "user", content: [{ type: "text", text }] }],
  maxOutputTokens: 100,
  stream,
});
const statusesFor = (key: string) => model.requests.filter((r) => r.key === key).map((r) => r.status);

describe("retries", () => {
  it("waits what retry-after says after a 429, then succeeds", async () => {
    const waits: number[] = [];
    const client = createAnthropicClient(settings(waits, { baseUrl: model.anthropicBaseUrl }));
    const res = await client.complete(ask("rate limited"));
    expect(res.content).toEqual([{ type: "text", text: "after a 429" }]);
    expect(waits).toEqual([2000]);
    expect(statusesFor("rate limited")).toEqual([429, 200]);
  });

  it("retries 529 with exponential backoff and jitter", async () => {
    const waits: number[] = [];
    const client = createAnthropicClient(settings(waits, { baseUrl: model.anthropicBaseUrl }));
    const res = await client.complete(ask("overloaded", true));
    expect(res.content).toEqual([{ type: "text", text: "after two 529s" }]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(375);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(750);
    expect(waits[1]).toBeLessThanOrEqual(1000);
    expect(statusesFor("overloaded")).toEqual([529, 529, 200]);
  });

  it("retries an OpenAI 503", async () => {
    const waits: number[] = [];
    const client = createOpenAIClient(settings(waits, { baseUrl: model.openaiBaseUrl }));
    const res = await client.complete(ask("unavailable"));
    expect(res.content).toEqual([{ type: "text", text: "after a 503" }]);
    expect(waits).toHaveLength(1);
    expect(statusesFor("unavailable")).toEqual([503, 200]);
  });

  it("gives up after maxRetries with model_rate_limited, each wait capped", async () => {
    const waits: number[] = [];
    const client = createOpenAIClient(
      settings(waits, { baseUrl: model.openaiBaseUrl, maxRetries: 2, maxRetryWaitMs: 250 }),
    );
    await expect(client.complete(ask("always limited"))).rejects.toMatchObject({
      code: "model_rate_limited",
      details: { provider: "openai", status: 429, attempts: 3 },
    });
    expect(waits).toEqual([250, 250]);
    expect(statusesFor("always limited")).toEqual([429, 429, 429]);
  });

  it("gives up on a server that keeps failing with model_unavailable after the default 4 retries", async () => {
    const waits: number[] = [];
    const client = createAnthropicClient(settings(waits, { baseUrl: model.anthropicBaseUrl }));
    await expect(client.complete(ask("always down"))).rejects.toMatchObject({
      code: "model_unavailable",
      details: { status: 500, attempts: 5 },
    });
    expect(waits).toHaveLength(4);
  });

  it("retries network errors and then reports model_unavailable", async () => {
    const gone = await startScriptedModel({ tasks: {} });
    await gone.close();
    const waits: number[] = [];
    const client = createAnthropicClient(settings(waits, { baseUrl: gone.url, maxRetries: 1 }));
    const error = await client.complete(ask("x")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_unavailable", details: { network: true, attempts: 2 } });
    expect((error as Error).message).toContain(new URL(gone.url).host);
    expect(waits).toHaveLength(1);
  });

  it("retries a stream that breaks with an overloaded error event", async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls > 1) return fetch(input, init);
      const body =
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":1}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const waits: number[] = [];
    const client = createAnthropicClient(settings(waits, { baseUrl: model.anthropicBaseUrl, fetch: flaky }));
    const res = await client.complete(ask("nothing scripted either", true));
    expect(calls).toBe(2);
    expect(res.stopReason).toBe("end_turn");
    expect(waits).toHaveLength(1);
  });

  it("retries an OpenAI stream cut before [DONE]", async () => {
    let calls = 0;
    const cut: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls > 1) return fetch(input, init);
      const body =
        'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"par"}}]}\n\n';
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const client = createOpenAIClient(settings([], { baseUrl: model.openaiBaseUrl, fetch: cut }));
    const res = await client.complete(ask("nothing scripted", true));
    expect(calls).toBe(2);
    expect(res.content).toEqual([{ type: "text", text: "script exhausted" }]);
  });

  it("stops waiting between attempts when the caller aborts", async () => {
    const client = createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl });
    const started = Date.now();
    const error = await client
      .complete(ask("come back later"), { signal: AbortSignal.timeout(100) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_error", details: { aborted: true } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(statusesFor("come back later")).toEqual([429]);
  });

  it("stops at once when the caller aborts", async () => {
    const slow = await startScriptedModel({ tasks: { slow: [{ text: "late" }] } }, { latencyMs: 2000 });
    try {
      const client = createAnthropicClient({ apiKey: KEY, baseUrl: slow.url });
      const started = Date.now();
      const error = await client.complete(ask("slow"), { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "model_error", details: { aborted: true } });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(slow.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

describe("retryAfterMs and backoffMs", () => {
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

  it("doubles up to 8 s and jitters down by at most a quarter", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(2, () => 1)).toBe(1500);
  });
});
