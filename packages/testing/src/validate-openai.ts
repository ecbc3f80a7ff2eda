import type { z } from "zod";
import { type OpenAIMessage, OpenAIRequest } from "./openai-schema.js";

/** The `error` object of an OpenAI 400 body. */
export interface OpenAIInvalidRequest {
  message: string;
  param: string | null;
  code: string | null;
}

export type OpenAIValidation = { ok: true; request: OpenAIRequest } | { ok: false; error: OpenAIInvalidRequest };

/** Validates a Chat Completions body the way the real service does, with its error wording. */
export function validateOpenAIRequest(body: unknown): OpenAIValidation {
  if (typeof body === "object" && body !== null && !("model" in body)) {
    return { ok: false, error: { message: "you must provide a model parameter", param: null, code: null } };
  }
  const parsed = OpenAIRequest.safeParse(body, { reportInput: true });
  if (!parsed.success) return { ok: false, error: describeIssue(parsed.error.issues[0]) };
  const error = checkMessages(parsed.data.messages);
  return error === undefined ? { ok: true, request: parsed.data } : { ok: false, error };
}

function paramOf(path: PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    "",
  );
}

function describeIssue(issue: z.core.$ZodIssue | undefined): OpenAIInvalidRequest {
  if (issue === undefined) return { message: "Invalid request.", param: null, code: null };
  const param = paramOf(issue.path);
  if (issue.input === undefined) {
    return { message: `Missing required parameter: '${param}'.`, param, code: "missing_required_parameter" };
  }
  switch (issue.code) {
    case "too_small":
      if (Array.isArray(issue.input) && issue.input.length === 0) {
        const message = `Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`;
        return { message, param, code: "empty_array" };
      }
      return { message: `Invalid '${param}': ${issue.message}.`, param, code: "invalid_value" };
    case "invalid_value": {
      const supported = issue.values.map((v) => `'${String(v)}'`).join(", ");
      return {
        message: `Invalid value: '${String(issue.input)}'. Supported values are: ${supported}.`,
        param,
        code: "invalid_value",
      };
    }
    case "invalid_type":
      return {
        message: `Invalid type for '${param}': expected ${issue.expected}, but got ${typeOf(issue.input)} instead.`,
        param,
        code: "invalid_type",
      };
    case "invalid_format":
      return {
        message: `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.`,
        param,
        code: "invalid_value",
      };
    default:
      return { message: `Invalid '${param}': ${issue.message}.`, param, code: "invalid_value" };
  }
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Tool-call pairing: every call answered by a `tool` message before the conversation moves on. */
function checkMessages(messages: OpenAIMessage[]): OpenAIInvalidRequest | undefined {
  let pending: string[] = [];
  let callerIndex = -1;
  for (const [i, message] of messages.entries()) {
    if (message.role === "tool") {
      if (!pending.includes(message.tool_call_id)) {
        const text =
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
        return { message: text, param: `messages.[${i}].role`, code: null };
      }
      pending = pending.filter((id) => id !== message.tool_call_id);
      continue;
    }
    if (pending.length > 0) return unanswered(callerIndex, pending);
    if (message.role === "assistant") {
      const calls = message.tool_calls ?? [];
      if (calls.length === 0 && (message.content === null || message.content === undefined)) {
        const text = "Invalid value for 'content': expected a string, got null.";
        return { message: text, param: `messages.[${i}].content`, code: null };
      }
      pending = calls.map((c) => c.id);
      callerIndex = i;
    }
  }
  return pending.length > 0 ? unanswered(callerIndex, pending) : undefined;
}

function unanswered(index: number, ids: string[]): OpenAIInvalidRequest {
  const message = `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids.join(", ")}`;
  return { message, param: `messages.[${index}].role`, code: null };
}
