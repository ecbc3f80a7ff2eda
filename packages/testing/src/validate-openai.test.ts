import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedModel } from "./script.js";
import { startScriptedModel } from "./scripted-model.js";
import { validateOpenAIRequest } from "./validate-openai.js";

const call = (id: string) => ({ id, type: "function", function: { name: "read_file", arguments: '{"path":"a"}' } });
const asking = (...ids: string[]) => ({ role: "assistant", content: null, tool_calls: ids.map(call) });
const answer = (id: string) => ({ role: "tool", tool_call_id: id, content: "ok" });
const user = (content: string) => ({ role: "user", content });
const fn = (name: string, parameters: unknown = { type: "object" }) => ({
  type: "function",
  function: { name, parameters },
});

const malformed: [string, Record<string, unknown>, { message: RegExp; param: string | null; code: string | null }][] = [
  [
    "a missing model",
    { messages: [user("a")] },
    { message: /you must provide a model parameter/, param: null, code: null },
  ],
  [
    "missing messages",
    { model: "m" },
    { message: /Missing required parameter: 'messages'/, param: "messages", code: "missing_required_parameter" },
  ],
  ["empty messages", { model: "m", messages: [] }, { message: /empty array/, param: "messages", code: "empty_array" }],
  [
    "an unanswered tool call",
    { model: "m", messages: [user("a"), asking("call_1", "call_2"), answer("call_1"), user("b")] },
    { message: /did not have response messages: call_2$/, param: "messages.[1].role", code: null },
  ],
  [
    "a final unanswered tool call",
    { model: "m", messages: [user("a"), asking("call_1")] },
    { message: /did not have response messages: call_1/, param: "messages.[1].role", code: null },
  ],
  [
    "a tool message without a call",
    { model: "m", messages: [user("a"), answer("call_9")] },
    { message: /must be a response to a preceeding message with 'tool_calls'/, param: "messages.[1].role", code: null },
  ],
  [
    "an assistant message with neither content nor calls",
    { model: "m", messages: [user("a"), { role: "assistant", content: null }] },
    { message: /expected a string, got null/, param: "messages.[1].content", code: null },
  ],
  [
    "a tool of another type",
    { model: "m", messages: [user("a")], tools: [{ type: "retrieval", function: { name: "x", parameters: {} } }] },
    { message: /Supported values are: 'function'/, param: "tools[0].type", code: "invalid_value" },
  ],
  [
    "a tool without a name",
    { model: "m", messages: [user("a")], tools: [{ type: "function", function: { parameters: {} } }] },
    {
      message: /Missing required parameter: 'tools\[0\]\.function\.name'/,
      param: "tools[0].function.name",
      code: "missing_required_parameter",
    },
  ],
  [
    "a tool whose parameters are a string",
    { model: "m", messages: [user("a")], tools: [fn("x", "object")] },
    {
      message: /Invalid type for 'tools\[0\]\.function\.parameters'/,
      param: "tools[0].function.parameters",
      code: "invalid_type",
    },
  ],
  [
    "a bad tool name",
    { model: "m", messages: [user("a")], tools: [fn("read file")] },
    { message: /does not match pattern/, param: "tools[0].function.name", code: "invalid_value" },
  ],
];

describe("validateOpenAIRequest", () => {
  it.each(malformed)("rejects %s", (_name, body, expected) => {
    const result = validateOpenAIRequest(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(expected.message);
    expect(result.error.param).toBe(expected.param);
    expect(result.error.code).toBe(expected.code);
  });

  it("accepts parallel tool calls answered in any order, then more turns", () => {
    const body = {
      model: "m",
      messages: [
        { role: "system", content: "sys" },
        user("a"),
        asking("c1", "c2"),
        answer("c2"),
        answer("c1"),
        { role: "assistant", content: "done" },
        user("b"),
      ],
      tools: [fn("read_file")],
      tool_choice: "required",
    };
    expect(validateOpenAIRequest(body)).toMatchObject({ ok: true });
  });
});

describe("the scripted server rejects malformed Chat Completions requests like the real API", () => {
  let model: ScriptedModel;
  beforeAll(async () => {
    model = await startScriptedModel({ tasks: { hello: [{ text: "hi" }] } });
  });
  afterAll(() => model.close());

  it("answers 400 with the OpenAI error shape for an unanswered tool call", async () => {
    const body = { model: "gpt-5", messages: [user("hello"), asking("call_1"), user("next")] };
    const res = await fetch(`${model.openaiBaseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: expect.stringMatching(/following tool_call_ids did not have response messages: call_1/),
        type: "invalid_request_error",
        param: "messages.[1].role",
        code: null,
      },
    });
  });
});
