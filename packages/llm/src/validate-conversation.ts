import { BernsteinError } from "@bernstein/core";
import type { Block, Message, ModelRequest } from "./types.js";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function reject(message: string, index?: number): never {
  throw new BernsteinError("model_bad_request", `conversation is malformed: ${message}`, {
    details: index === undefined ? { local: true } : { local: true, index },
  });
}

function checkBlock(block: Block, i: number, role: Message["role"], expected: Set<string>): void {
  if (block.type === "text" && block.text.trim() === "") reject(`message ${i} has an empty text block`, i);
  if (block.type === "tool_use" && role !== "assistant") reject(`message ${i} (${role}) has a tool_use block`, i);
  if (block.type === "tool_result") {
    if (role !== "user") reject(`message ${i} (${role}) has a tool_result block`, i);
    if (!expected.has(block.toolUseId)) {
      reject(`message ${i} answers ${block.toolUseId}, which the previous assistant message did not call`, i);
    }
  }
}

/**
 * Checks the rules the real APIs enforce (non-empty, starts with the user, roles alternate,
 * every tool_use answered in the next user message, no empty text), so a bad conversation
 * fails here with its reason instead of as a remote 400. Throws `model_bad_request`.
 */
export function validateConversation(messages: Message[]): void {
  if (messages.length === 0) reject("it has no messages");
  if (messages[0]?.role !== "user") reject("the first message must come from the user", 0);
  let expected = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (i > 0 && messages[i - 1]?.role === message.role)
      reject(`messages ${i - 1} and ${i} are both ${message.role}`, i);
    if (message.content.length === 0) reject(`message ${i} has no content`, i);
    for (const block of message.content) checkBlock(block, i, message.role, expected);
    if (message.role === "user") {
      const answered = new Set(message.content.flatMap((b) => (b.type === "tool_result" ? [b.toolUseId] : [])));
      const missing = [...expected].filter((id) => !answered.has(id));
      if (missing.length > 0) reject(`message ${i} lacks a tool_result for ${missing.join(", ")}`, i);
      expected = new Set();
    } else {
      expected = new Set(message.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : [])));
    }
  }
  if (expected.size > 0) reject(`the last message calls ${[...expected].join(", ")} and nothing answers it`);
}

/** Checks a whole request: the conversation, the tool names and the output limit. */
export function validateModelRequest(req: ModelRequest): void {
  if (req.model.trim() === "") throw new BernsteinError("model_bad_request", "model request names no model");
  if (!Number.isInteger(req.maxOutputTokens) || req.maxOutputTokens < 1) {
    throw new BernsteinError(
      "model_bad_request",
      `maxOutputTokens must be a positive integer, got ${req.maxOutputTokens}`,
    );
  }
  for (const tool of req.tools ?? []) {
    if (!TOOL_NAME.test(tool.name)) {
      throw new BernsteinError("model_bad_request", `tool name "${tool.name}" must match ${TOOL_NAME.source}`);
    }
  }
  validateConversation(req.messages);
}
