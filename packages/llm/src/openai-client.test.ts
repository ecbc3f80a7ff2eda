import { type ModelScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIClient } from "./openai/client.js";
import { fromOpenAICompletion } from "./openai/response.js";
import type { Message, ModelRequest, ToolSpec } from "./types.js";

const KEY = "sk-openai-test-0123456789abcdef";
const script: ModelScript = {
  tasks: {
    "Add divide": [
      {
        text: "Reading first.",
        tools: [
          { name: "read_file", input: { path: "src/add.js" } },
          { name: "read_file", input: { path: "test/add.test.js" } },
        ],
        usage: { input: 1000, output: 50, cacheRead: 3000 },
      },
      { tools: [{ name: "finish", input: { summary: "added divide" } }] },
    ],
  },
};

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file",
    inputSchema: { type: "object", properties: { path: { type: "string" } } },
  },
  {
    name: "finish",
    description: "Finish",
    inputSchema: { type: "object", properties: { summary: { type: "string" } } },
  },
];

let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: KEY });
});
afterAll(() => model.close());

const client = () => createOpenAIClient({ apiKey: KEY, baseUrl: model.openaiBaseUrl });
const request = (
  messages: Message[],
  stream: boolean,
  toolChoice: ModelRequest["toolChoice"] = "any",
): ModelRequest => ({
  model: "gpt-5",
  system: "You are a careful engineer.",
  messages,
  tools,
  toolChoice,
  maxOutputTokens: 1024,
  stream,
});
const first: Message = { role: "user", content: [{ type: "text", text: "Task: Add divide" }] };

describe.each([false, true])("createOpenAIClient (stream: %s)", (stream) => {
  it("maps the answer; cached tokens come out of inputTokens", async () => {
    const res = await client().complete(request([first], stream));
    expect(res.content).toEqual([
      { type: "text", text: "Reading first." },
      { type: "tool_use", id: expect.stringMatching(/^call_/), name: "read_file", input: { path: "src/add.js" } },
      { type: "tool_use", id: expect.stringMatching(/^call_/), name: "read_file", input: { path: "test/add.test.js" } },
    ]);
    expect(res.stopReason).toBe("tool_use");
    expect(res.usage).toEqual({ inputTokens: 1000, outputTokens: 50, cacheReadTokens: 3000, cacheWriteTokens: 0 });
    expect(res.requestId).toMatch(/^req_/);
    expect(res.model).toBe("gpt-5");
  });

  it("sends bearer auth, function tools, tool_choice, max_completion_tokens and stream_options", async () => {
    await client().complete(request([first], stream));
    const sent = model.requests.at(-1);
    expect(sent).toMatchObject({ provider: "openai", path: "/v1/chat/completions", status: 200, stream });
    expect(sent?.headers.authorization).toBe("[redacted]");
    expect(sent?.body).toMatchObject({
      model: "gpt-5",
      max_completion_tokens: 1024,
      tool_choice: "required",
      tools: [
        {
          type: "function",
          function: { name: "read_file", description: "Read a file", parameters: { type: "object" } },
        },
        {},
      ],
      messages: [
        { role: "system", content: "You are a careful engineer." },
        { role: "user", content: "Task: Add divide" },
      ],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
  });

  it("round-trips a multi-turn tool conversation as tool_calls and role:tool messages", async () => {
    const turn0 = await client().complete(request([first], stream));
    const results = turn0.content.flatMap((b) =>
      b.type === "tool_use"
        ? [{ type: "tool_result" as const, toolUseId: b.id, content: `contents of ${String(b.input.path)}` }]
        : [],
    );
    const conversation: Message[] = [
      first,
      { role: "assistant", content: turn0.content },
      { role: "user", content: results },
    ];
    const turn1 = await client().complete(request(conversation, stream, { name: "finish" }));
    expect(turn1.content).toMatchObject([{ type: "tool_use", name: "finish", input: { summary: "added divide" } }]);
    const sent = model.requests.at(-1);
    expect(sent).toMatchObject({ key: "Add divide", turn: 1, status: 200 });
    const body = sent?.body as { messages: Record<string, unknown>[]; tool_choice: unknown };
    expect(body.tool_choice).toEqual({ type: "function", function: { name: "finish" } });
    expect(body.messages.slice(2)).toEqual([
      {
        role: "assistant",
        content: "Reading first.",
        tool_calls: results.map((r, i) => ({
          id: r.toolUseId,
          type: "function",
          function: {
            name: "read_file",
            arguments: JSON.stringify({ path: i === 0 ? "src/add.js" : "test/add.test.js" }),
          },
        })),
      },
      { role: "tool", tool_call_id: results[0]?.toolUseId, content: "contents of src/add.js" },
      { role: "tool", tool_call_id: results[1]?.toolUseId, content: "contents of test/add.test.js" },
    ]);
  });
});

describe("fromOpenAICompletion", () => {
  it("keeps unparseable tool arguments as _raw, and reads a stop with tool calls as tool_use", () => {
    const body = {
      model: "llama3",
      choices: [
        {
          finish_reason: "stop",
          message: {
            content: null,
            tool_calls: [
              { id: "c1", type: "function", function: { name: "write_file", arguments: '{"path": "a.js", content: ' } },
            ],
          },
        },
      ],
    };
    const res = fromOpenAICompletion(body, undefined, "llama3");
    expect(res.content).toEqual([
      { type: "tool_use", id: "c1", name: "write_file", input: { _raw: '{"path": "a.js", content: ' } },
    ]);
    expect(res.stopReason).toBe("tool_use");
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it("maps length to max_tokens and rejects a body without choices as model_error", () => {
    const body = { choices: [{ finish_reason: "length", message: { content: "cut" } }] };
    expect(fromOpenAICompletion(body, "r1", "gpt-5")).toMatchObject({
      stopReason: "max_tokens",
      model: "gpt-5",
      requestId: "r1",
    });
    expect(() => fromOpenAICompletion({ choices: [] }, undefined, "gpt-5")).toThrow(
      expect.objectContaining({ code: "model_error" }),
    );
  });
});
