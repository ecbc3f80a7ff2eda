import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedModel } from "./script.js";
import { startScriptedModel } from "./scripted-model.js";
import { validateAnthropicRequest } from "./validate-anthropic.js";

const user = (text: string) => ({ role: "user", content: [{ type: "text", text }] });
const assistant = (text: string) => ({ role: "assistant", content: [{ type: "text", text }] });
const toolUse = {
  role: "assistant",
  content: [{ type: "tool_use", id: "toolu_1", name: "read_file", input: { path: "a" } }],
};
const toolResult = (id: string) => ({
  role: "user",
  content: [{ type: "tool_result", tool_use_id: id, content: "ok" }],
});
const base = { model: "claude-sonnet-4-5", max_tokens: 100 };
const tool = (name: string, input_schema: unknown = { type: "object", properties: {} }) => ({ name, input_schema });

const malformed: [string, Record<string, unknown>, RegExp][] = [
  ["missing model", { max_tokens: 10, messages: [user("hi")] }, /^model: Field required/],
  ["missing max_tokens", { model: "m", messages: [user("hi")] }, /^max_tokens: Field required/],
  ["empty messages", { ...base, messages: [] }, /at least one message is required/],
  [
    "first message from the assistant",
    { ...base, messages: [assistant("hi"), user("x")] },
    /first message must use the "user" role/,
  ],
  [
    "two user messages in a row",
    { ...base, messages: [user("a"), user("b")] },
    /roles must alternate.*multiple "user" roles/,
  ],
  [
    "two assistant messages in a row",
    { ...base, messages: [user("a"), assistant("b"), assistant("c")] },
    /multiple "assistant" roles/,
  ],
  ["an empty text block", { ...base, messages: [user("")] }, /text content blocks must be non-empty/],
  ["a whitespace text block", { ...base, messages: [user("  ")] }, /must contain non-whitespace text/],
  [
    "empty content",
    { ...base, messages: [{ role: "user", content: [] }] },
    /^messages\.0: all messages must have non-empty content/,
  ],
  [
    "empty string content",
    { ...base, messages: [{ role: "user", content: "" }] },
    /text content blocks must be non-empty/,
  ],
  [
    "an unanswered tool_use",
    { ...base, messages: [user("a"), toolUse, user("b")] },
    /^messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
  ],
  [
    "a final unanswered tool_use",
    { ...base, messages: [user("a"), toolUse] },
    /`tool_use` ids were found without `tool_result`/,
  ],
  [
    "a tool_result for another id",
    { ...base, messages: [user("a"), toolUse, toolResult("toolu_2")] },
    /unexpected `tool_use_id` found in `tool_result` blocks: toolu_2/,
  ],
  [
    "a tool_result answering an older turn",
    { ...base, messages: [user("a"), toolUse, toolResult("toolu_1"), assistant("x"), toolResult("toolu_1")] },
    /^messages\.4\.content\.0: unexpected `tool_use_id`/,
  ],
  [
    "a tool_use in a user message",
    { ...base, messages: [{ role: "user", content: toolUse.content }] },
    /can only be in `assistant` messages/,
  ],
  [
    "a bad tool name",
    { ...base, messages: [user("a")], tools: [tool("read file")] },
    /^tools\.0\.name: String should match pattern/,
  ],
  [
    "a tool without input_schema",
    { ...base, messages: [user("a")], tools: [{ name: "x" }] },
    /^tools\.0\.input_schema: Field required/,
  ],
  [
    "a tool schema not of type object",
    { ...base, messages: [user("a")], tools: [tool("x", { type: "array" })] },
    /^tools\.0\.input_schema\.type/,
  ],
  [
    "duplicate tool names",
    { ...base, messages: [user("a")], tools: [tool("x"), tool("x")] },
    /Tool names must be unique/,
  ],
  ["a system of numbers", { ...base, system: 42, messages: [user("a")] }, /^system: /],
  [
    "an unknown block type",
    { ...base, messages: [{ role: "user", content: [{ type: "video" }] }] },
    /^messages\.0\.content\.0/,
  ],
];

describe("validateAnthropicRequest", () => {
  it.each(malformed)("rejects %s", (_name, body, message) => {
    const result = validateAnthropicRequest(body);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(message);
  });

  it("accepts a full tool conversation, string content, a system block list and a final assistant prefill", () => {
    const body = {
      ...base,
      system: [{ type: "text", text: "be brief" }],
      tools: [tool("read_file")],
      messages: [
        user("a"),
        toolUse,
        toolResult("toolu_1"),
        assistant("done"),
        { role: "user", content: "next" },
        { role: "assistant", content: [] },
      ],
    };
    expect(validateAnthropicRequest(body)).toMatchObject({ ok: true });
  });
});

describe("the scripted server rejects malformed Messages requests like the real API", () => {
  let model: ScriptedModel;
  beforeAll(async () => {
    model = await startScriptedModel({ tasks: { hello: [{ text: "hi" }] } });
  });
  afterAll(() => model.close());

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["non-alternating roles", { ...base, messages: [user("hello"), user("again")] }, /roles must alternate/],
    [
      "an unanswered tool_use",
      { ...base, messages: [user("hello"), toolUse, user("b")] },
      /`tool_use` ids were found without `tool_result`/,
    ],
    ["an empty text block", { ...base, messages: [user("")] }, /text content blocks must be non-empty/],
    ["a missing max_tokens", { model: "m", messages: [user("hello")] }, /max_tokens: Field required/],
  ];

  it.each(cases)("400 invalid_request_error for %s", async (_name, body, message) => {
    const res = await fetch(`${model.anthropicBaseUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "k" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(json.type).toBe("error");
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message).toMatch(message);
    expect(model.requests.at(-1)).toMatchObject({ status: 400, provider: "anthropic", key: "?" });
  });
});
