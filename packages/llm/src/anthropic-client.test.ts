import { type ModelScript, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import type { Message, ModelRequest, ToolSpec } from "./types.js";

const KEY = "sk-ant-test-0123456789abcdef";
const script: ModelScript = {
  tasks: {
    "Add multiply": [
      {
        text: "I will read the file first, to see how add is written.",
        tools: [
          { name: "read_file", input: { path: "src/add.js" } },
          { name: "list_files", input: { path: "src" } },
        ],
        usage: { input: 1200, output: 80, cacheRead: 4000 },
      },
      { text: "Done.", tools: [{ name: "finish", input: { summary: "added multiply" } }] },
    ],
  },
};

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file",
    inputSchema: { type: "object", properties: { path: { type: "string" } } },
  },
  { name: "list_files", description: "List files", inputSchema: { type: "object", properties: {} } },
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

const client = () => createAnthropicClient({ apiKey: KEY, baseUrl: model.anthropicBaseUrl });
const request = (messages: Message[], stream: boolean): ModelRequest => ({
  model: "claude-sonnet-4-5",
  system: "You are a careful engineer.",
  messages,
  tools,
  toolChoice: "any",
  maxOutputTokens: 2048,
  temperature: 0,
  stream,
});
const first: Message = { role: "user", content: [{ type: "text", text: "Task: Add multiply" }] };

describe.each([false, true])("createAnthropicClient (stream: %s)", (stream) => {
  it("maps the answer: text, tool calls, stop reason, usage with cache reads apart, request id", async () => {
    const res = await client().complete(request([first], stream));
    expect(res.content).toEqual([
      { type: "text", text: "I will read the file first, to see how add is written." },
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "read_file", input: { path: "src/add.js" } },
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "list_files", input: { path: "src" } },
    ]);
    expect(res.stopReason).toBe("tool_use");
    expect(res.usage).toEqual({ inputTokens: 1200, outputTokens: 80, cacheReadTokens: 4000, cacheWriteTokens: 0 });
    expect(res.model).toBe("claude-sonnet-4-5");
    expect(res.requestId).toMatch(/^req_/);
  });

  it("sends the real wire shape: headers, system, tools with input_schema, tool_choice, max_tokens", async () => {
    await client().complete(request([first], stream));
    const sent = model.requests.at(-1);
    expect(sent).toMatchObject({ provider: "anthropic", path: "/v1/messages", status: 200, stream });
    expect(sent?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent?.headers["x-api-key"]).toBe("[redacted]");
    expect(sent?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 2048,
      system: "You are a careful engineer.",
      temperature: 0,
      tool_choice: { type: "any" },
      tools: [{ name: "read_file", description: "Read a file", input_schema: { type: "object" } }, {}, {}],
      messages: [{ role: "user", content: [{ type: "text", text: "Task: Add multiply" }] }],
    });
  });

  it("round-trips a multi-turn tool conversation the server accepts", async () => {
    const turn0 = await client().complete(request([first], stream));
    const results = turn0.content.flatMap((b) =>
      b.type === "tool_use"
        ? [
            {
              type: "tool_result" as const,
              toolUseId: b.id,
              content: `contents of ${String(b.input.path)}`,
              isError: b.name === "list_files",
            },
          ]
        : [],
    );
    const conversation: Message[] = [
      first,
      { role: "assistant", content: turn0.content },
      { role: "user", content: [...results, { type: "text", text: "Keep going." }] },
    ];
    const turn1 = await client().complete(request(conversation, stream));
    expect(turn1.content).toMatchObject([
      { type: "text", text: "Done." },
      { type: "tool_use", name: "finish", input: { summary: "added multiply" } },
    ]);
    expect(model.requests.at(-1)).toMatchObject({ key: "Add multiply", turn: 1, status: 200 });
    const sent = model.requests.at(-1)?.body as { messages: { content: unknown[] }[] } | undefined;
    const sentUser = sent?.messages[2];
    expect(sentUser?.content).toEqual([
      { type: "tool_result", tool_use_id: results[0]?.toolUseId, content: "contents of src/add.js" },
      { type: "tool_result", tool_use_id: results[1]?.toolUseId, content: "contents of src", is_error: true },
      { type: "text", text: "Keep going." },
    ]);
  });
});

it("reports a text-only answer as end_turn", async () => {
  const res = await client().complete(
    request([{ role: "user", content: [{ type: "text", text: "unknown task" }] }], true),
  );
  expect(res).toMatchObject({ stopReason: "end_turn", content: [{ type: "text", text: "script exhausted" }] });
});
