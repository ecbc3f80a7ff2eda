import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelScript, ScriptedModel } from "./script.js";
import { startScriptedModel } from "./scripted-model.js";

const script: ModelScript = {
  plan: [{ text: "plan", tools: [{ name: "submit_plan", input: { tasks: [{ id: "t1", title: "Add multiply" }] } }] }],
  tasks: {
    "Add multiply": [
      {
        text: "Reading the existing code first, then I will write it.",
        tools: [{ name: "read_file", input: { path: "src/add.js", limit: 40 } }],
        usage: { input: 100, output: 20, cacheRead: 30 },
      },
      { tools: [{ name: "finish", input: { summary: "done" } }] },
    ],
    "Add multiply and divide": [{ text: "the longer key wins" }],
    flaky: [{ text: "after two 429s", fail: { status: 429, retryAfterSeconds: 0, times: 2 } }],
    overloaded: [{ text: "after a 529", fail: { status: 529 } }],
    broken: [{ text: "after a 503", fail: { status: 503 } }],
  },
};

const SECRET = "sk-scripted-secret-0123456789";
let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: SECRET });
});
afterAll(() => model.close());

type Json = Record<string, unknown>;

async function anthropic(body: Json, headers: Record<string, string> = { "x-api-key": SECRET }) {
  return fetch(`${model.anthropicBaseUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 1000, ...body }),
  });
}

async function openai(body: Json, path = "/v1/chat/completions", key = SECRET) {
  return fetch(`${model.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "gpt-5", ...body }),
  });
}

/** Splits an SSE body into `{event, data}` records. */
function parseSse(text: string): { event: string | undefined; data: string }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
      const data = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "";
      return { event, data };
    });
}

const firstUser = (text: string) => [{ role: "user", content: text }];

describe("Anthropic Messages format", () => {
  it("answers a plain request with a real message body", async () => {
    const res = await anthropic({ messages: firstUser("Task: Add multiply") });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      stop_reason: "tool_use",
      stop_sequence: null,
      content: [
        { type: "text", text: "Reading the existing code first, then I will write it." },
        { type: "tool_use", name: "read_file", input: { path: "src/add.js", limit: 40 } },
      ],
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 0 },
    });
    expect(body.id).toMatch(/^msg_[0-9a-f]{24}$/);
    expect((body.content as Json[])[1]?.id).toMatch(/^toolu_[0-9a-f]{24}$/);
  });

  it("streams the real event sequence, and the deltas assemble into the same answer", async () => {
    const res = await anthropic({ stream: true, messages: firstUser("Task: Add multiply") });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("message_start");
    expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
    const datas = events.map((e) => JSON.parse(e.data) as Json);
    expect(datas.every((d, i) => d.type === names[i])).toBe(true);
    const text = datas
      .flatMap((d) => ((d.delta as Json)?.type === "text_delta" ? [(d.delta as Json).text] : []))
      .join("");
    const json = datas
      .flatMap((d) => ((d.delta as Json)?.type === "input_json_delta" ? [(d.delta as Json).partial_json] : []))
      .join("");
    expect(text).toBe("Reading the existing code first, then I will write it.");
    expect(datas.filter((d) => (d.delta as Json)?.type === "text_delta").length).toBeGreaterThan(1);
    expect(JSON.parse(json)).toEqual({ path: "src/add.js", limit: 40 });
    const starts = datas.filter((d) => d.type === "content_block_start").map((d) => d.content_block as Json);
    expect(starts.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(datas.at(-2)).toMatchObject({ delta: { stop_reason: "tool_use" }, usage: { output_tokens: 20 } });
    expect(datas[0]).toMatchObject({ message: { usage: { input_tokens: 100, cache_read_input_tokens: 30 } } });
  });

  it("answers 401 for a missing or wrong key and accepts a bearer key", async () => {
    const missing = await anthropic({ messages: firstUser("Add multiply") }, {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect((await anthropic({ messages: firstUser("x") }, { "x-api-key": "sk-wrong" })).status).toBe(401);
    expect((await anthropic({ messages: firstUser("x") }, { authorization: `Bearer ${SECRET}` })).status).toBe(200);
  });

  it("requires the anthropic-version header", async () => {
    const res = await fetch(`${model.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": SECRET },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: firstUser("x") }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringMatching(/anthropic-version/) },
    });
  });
});

describe("OpenAI Chat Completions format", () => {
  it("answers a plain request with a real completion body, under /v1 and without it", async () => {
    for (const path of ["/v1/chat/completions", "/chat/completions"]) {
      const res = await openai({ messages: firstUser("Task: Add multiply") }, path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({
        object: "chat.completion",
        model: "gpt-5",
        choices: [
          {
            index: 0,
            finish_reason: "tool_calls",
            message: {
              role: "assistant",
              content: "Reading the existing code first, then I will write it.",
              tool_calls: [
                { type: "function", function: { name: "read_file", arguments: '{"path":"src/add.js","limit":40}' } },
              ],
            },
          },
        ],
        usage: {
          prompt_tokens: 130,
          completion_tokens: 20,
          total_tokens: 150,
          prompt_tokens_details: { cached_tokens: 30 },
        },
      });
      expect(body.id).toMatch(/^chatcmpl-/);
    }
  });

  it("streams chat.completion.chunk events, a usage chunk when asked, then [DONE]", async () => {
    const res = await openai({
      stream: true,
      stream_options: { include_usage: true },
      messages: firstUser("Add multiply"),
    });
    const events = parseSse(await res.text());
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Json);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    const deltas = chunks.flatMap((c) => (c.choices as Json[]).map((choice) => choice.delta as Json));
    expect(deltas.map((d) => d.content ?? "").join("")).toBe("Reading the existing code first, then I will write it.");
    const calls = deltas.flatMap((d) => (d.tool_calls as Json[] | undefined) ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: "function", function: { name: "read_file", arguments: "" } });
    expect(calls[0]?.id).toMatch(/^call_/);
    expect(calls.length).toBeGreaterThan(2);
    expect(JSON.parse(calls.map((c) => (c.function as Json).arguments).join(""))).toEqual({
      path: "src/add.js",
      limit: 40,
    });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 130, prompt_tokens_details: { cached_tokens: 30 } },
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: "tool_calls" }] });
  });

  it("sends no usage chunk unless asked", async () => {
    const res = await openai({ stream: true, messages: firstUser("Add multiply") });
    const chunks = parseSse(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e.data) as Json);
    expect(chunks.some((c) => "usage" in c)).toBe(false);
  });

  it("answers 401 with invalid_api_key for a wrong key", async () => {
    const res = await openai({ messages: firstUser("x") }, "/v1/chat/completions", "sk-wrong");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        message: "Incorrect API key provided.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });
  });
});

describe("selection", () => {
  it("uses the longest script key found in the first user message", async () => {
    const res = await anthropic({ messages: firstUser("Goal: Add multiply and divide to the calculator") });
    const body = (await res.json()) as { content: Json[] };
    expect(body.content).toEqual([{ type: "text", text: "the longer key wins" }]);
    expect(model.requests.at(-1)).toMatchObject({ key: "Add multiply and divide", turn: 0, status: 200 });
  });

  it("picks the turn from the assistant messages so far, and a replay gets the same answer and ids", async () => {
    const first = (await (await anthropic({ messages: firstUser("Add multiply") })).json()) as { content: Json[] };
    const use = first.content[1] as Json;
    const conversation = [
      ...firstUser("Add multiply"),
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "export function add" }] },
    ];
    const second = (await (await anthropic({ messages: conversation })).json()) as { content: Json[] };
    expect(second.content).toMatchObject([{ type: "tool_use", name: "finish", input: { summary: "done" } }]);
    expect(model.requests.at(-1)).toMatchObject({ key: "Add multiply", turn: 1 });
    const replay = (await (await anthropic({ messages: conversation })).json()) as { content: Json[] };
    expect(replay.content).toEqual(second.content);
  });

  it("recognises the planning call by its submit_plan tool", async () => {
    const tools = [{ name: "submit_plan", description: "plan", input_schema: { type: "object" } }];
    const body = (await (await anthropic({ tools, messages: firstUser("Goal: anything") })).json()) as {
      content: Json[];
    };
    expect(body.content[1]).toMatchObject({ name: "submit_plan", input: { tasks: [{ id: "t1" }] } });
    expect(model.requests.at(-1)).toMatchObject({ key: "plan", turn: 0 });
    const openaiTools = [{ type: "function", function: { name: "submit_plan", parameters: { type: "object" } } }];
    const res = await openai({ tools: openaiTools, messages: firstUser("Goal: anything") });
    expect(((await res.json()) as Json).choices).toMatchObject([
      { message: { tool_calls: [{ function: { name: "submit_plan" } }] } },
    ]);
  });

  it("answers 'script exhausted' with no tools for an unknown key or a turn past the script", async () => {
    const unknown = (await (await anthropic({ messages: firstUser("nothing matches") })).json()) as Json;
    expect(unknown).toMatchObject({ stop_reason: "end_turn", content: [{ type: "text", text: "script exhausted" }] });
    expect(model.requests.at(-1)).toMatchObject({ key: "?", turn: 0, exhausted: true });
    const late = [
      ...firstUser("Add multiply and divide"),
      { role: "assistant", content: "ok" },
      { role: "user", content: "go on" },
    ];
    const res = await openai({ messages: late });
    expect(((await res.json()) as Json).choices).toMatchObject([
      { finish_reason: "stop", message: { content: "script exhausted" } },
    ]);
    expect(model.requests.at(-1)).toMatchObject({ key: "Add multiply and divide", turn: 1, exhausted: true });
  });
});

describe("fail injection", () => {
  it("answers the scripted status `times` times with retry-after, then the real answer", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await anthropic({ messages: firstUser("flaky") });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get("retry-after")).toBe("0");
        expect(await res.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
      } else {
        expect(await res.json()).toMatchObject({ content: [{ text: "after two 429s" }] });
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it("uses each provider's error shape for 529 and 5xx", async () => {
    const overloaded = await anthropic({ messages: firstUser("overloaded") });
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
    const broken = await openai({ messages: firstUser("broken") });
    expect(broken.status).toBe(503);
    expect(await broken.json()).toMatchObject({ error: { type: "server_error", param: null, code: null } });
    expect((await openai({ messages: firstUser("broken") })).status).toBe(200);
  });
});

describe("outage", () => {
  it("answers every request with the outage's status until it is lifted, without advancing the script", async () => {
    const lift = model.outage(503, { retryAfterSeconds: 2 });
    const during = await anthropic({ messages: firstUser("Add multiply and divide") });
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("2");
    expect(await during.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    const openaiDuring = await openai({ messages: firstUser("Add multiply and divide") });
    expect(openaiDuring.status).toBe(503);
    expect(await openaiDuring.json()).toMatchObject({ error: { type: "server_error" } });
    lift();
    const after = await anthropic({ messages: firstUser("Add multiply and divide") });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ content: [{ text: "the longer key wins" }] });
    expect(model.requests.filter((r) => r.key === "outage").map((r) => r.status)).toEqual([503, 503]);
  });

  it("closes connections without an answer while it is unreachable", async () => {
    const lift = model.outage("reset");
    await expect(anthropic({ messages: firstUser("Add multiply") })).rejects.toThrow();
    lift();
    expect((await anthropic({ messages: firstUser("Add multiply") })).status).toBe(200);
    expect(model.requests.filter((r) => r.key === "outage").at(-1)?.status).toBe(0);
  });
});

describe("recording", () => {
  it("records every request with auth headers redacted", () => {
    expect(model.requests.length).toBeGreaterThan(10);
    const all = JSON.stringify(model.requests);
    expect(all).not.toContain(SECRET);
    const withKey = model.requests.find((r) => r.provider === "anthropic" && r.headers["x-api-key"] !== undefined);
    expect(withKey?.headers["x-api-key"]).toBe("[redacted]");
    const bearer = model.requests.find((r) => r.provider === "openai");
    expect(bearer?.headers.authorization).toBe("[redacted]");
    expect(bearer?.headers["content-type"]).toBe("application/json");
    expect(model.requests.some((r) => r.stream)).toBe(true);
  });
});
