import { type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicClient } from "./anthropic/client.js";
import { toAnthropicBody } from "./anthropic/request.js";
import { createOpenAIClient } from "./openai/client.js";
import { toOpenAIBody } from "./openai/request.js";
import type { Block, Message } from "./types.js";
import { validateConversation, validateModelRequest } from "./validate-conversation.js";

const text = (t: string): Block => ({ type: "text", text: t });
const user = (...content: Block[]): Message => ({ role: "user", content });
const assistant = (...content: Block[]): Message => ({ role: "assistant", content });
const use = (id: string): Block => ({ type: "tool_use", id, name: "read_file", input: { path: "a" } });
const result = (id: string): Block => ({ type: "tool_result", toolUseId: id, content: "ok" });

const malformed: [string, Message[], RegExp, boolean][] = [
  // name, conversation, local reason, whether the OpenAI format rejects it too
  ["an empty conversation", [], /no messages/, true],
  [
    "a first assistant message",
    [assistant(text("hi")), user(text("x"))],
    /first message must come from the user/,
    false,
  ],
  ["two user messages in a row", [user(text("a")), user(text("b"))], /messages 0 and 1 are both user/, false],
  ["an empty text block", [user(text(""))], /empty text block/, false],
  ["a message without content", [user()], /has no content/, false],
  [
    "an unanswered tool_use",
    [user(text("a")), assistant(use("c1")), user(text("b"))],
    /lacks a tool_result for c1/,
    true,
  ],
  ["a tool_use left hanging at the end", [user(text("a")), assistant(use("c1"))], /nothing answers it/, true],
  [
    "a tool_result for an unknown call",
    [user(text("a")), assistant(text("b")), user(result("c9"))],
    /answers c9, which the previous assistant message did not call/,
    true,
  ],
];

let model: ScriptedModel;
beforeAll(async () => {
  model = await startScriptedModel({ tasks: {} });
});
afterAll(() => model.close());

async function post(
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${model.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe("validateConversation", () => {
  it.each(malformed)("rejects %s locally with model_bad_request", (_name, messages, reason) => {
    expect(() => validateConversation(messages)).toThrow(
      expect.objectContaining({ code: "model_bad_request", message: expect.stringMatching(reason) }),
    );
  });

  it.each(malformed)("agrees with the scripted Anthropic server on %s", async (_name, messages) => {
    const res = await post(
      "/v1/messages",
      { "anthropic-version": "2023-06-01" },
      toAnthropicBody({ model: "m", messages, maxOutputTokens: 10 }),
    );
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it.each(malformed.filter(([, , , openai]) => openai))(
    "agrees with the scripted OpenAI server on %s",
    async (_name, messages) => {
      const res = await post(
        "/v1/chat/completions",
        { authorization: "Bearer k" },
        toOpenAIBody({ model: "m", messages, maxOutputTokens: 10 }),
      );
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { type: "invalid_request_error" } });
    },
  );

  it("accepts a well-formed tool conversation, which both servers accept too", async () => {
    const messages = [
      user(text("hello")),
      assistant(text("reading"), use("c1"), use("c2")),
      user(result("c2"), result("c1"), text("go on")),
    ];
    expect(() => validateConversation(messages)).not.toThrow();
    const anthropic = await post(
      "/v1/messages",
      { "anthropic-version": "2023-06-01" },
      toAnthropicBody({ model: "m", messages, maxOutputTokens: 10 }),
    );
    expect(anthropic.status).toBe(200);
    const openai = await post(
      "/v1/chat/completions",
      { authorization: "Bearer k" },
      toOpenAIBody({ model: "m", messages, maxOutputTokens: 10 }),
    );
    expect(openai.status).toBe(200);
  });

  it("makes both clients refuse a malformed conversation before sending anything", async () => {
    const before = model.requests.length;
    const messages = [user(text("a")), assistant(use("c1")), user(text("b"))];
    const req = { model: "m", messages, maxOutputTokens: 10 };
    await expect(createAnthropicClient({ apiKey: "k", baseUrl: model.url }).complete(req)).rejects.toMatchObject({
      code: "model_bad_request",
    });
    await expect(createOpenAIClient({ apiKey: "k", baseUrl: model.openaiBaseUrl }).complete(req)).rejects.toMatchObject(
      { code: "model_bad_request" },
    );
    expect(model.requests.length).toBe(before);
  });

  it("checks tool names and the output limit too", () => {
    const messages = [user(text("a"))];
    const tool = { name: "read file", description: "", inputSchema: { type: "object" } };
    expect(() => validateModelRequest({ model: "m", messages, maxOutputTokens: 10, tools: [tool] })).toThrow(
      /tool name "read file"/,
    );
    expect(() => validateModelRequest({ model: "m", messages, maxOutputTokens: 0 })).toThrow(/maxOutputTokens/);
  });
});
