import { formatToolInput } from "../tool-input.js";
import type { Message, ModelRequest } from "../types.js";

type ChatMessage = Record<string, unknown>;

function textOf(message: Message): string {
  return message.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n\n");
}

/** A user message becomes one `tool` message per result, then the user's text, if any. */
function fromUser(message: Message): ChatMessage[] {
  const out: ChatMessage[] = message.content.flatMap((b) =>
    b.type === "tool_result"
      ? [{ role: "tool", tool_call_id: b.toolUseId, content: b.isError ? `Error: ${b.content}` : b.content }]
      : [],
  );
  const text = textOf(message);
  if (text !== "") out.push({ role: "user", content: text });
  return out;
}

function fromAssistant(message: Message): ChatMessage {
  const calls = message.content.flatMap((b) =>
    b.type === "tool_use"
      ? [{ id: b.id, type: "function", function: { name: b.name, arguments: formatToolInput(b.input) } }]
      : [],
  );
  const text = textOf(message);
  return { role: "assistant", content: text === "" ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

function toolChoice(choice: NonNullable<ModelRequest["toolChoice"]>): unknown {
  if (choice === "auto") return "auto";
  if (choice === "any") return "required";
  return { type: "function", function: { name: choice.name } };
}

/** The Chat Completions body for a request. */
export function toOpenAIBody(req: ModelRequest): Record<string, unknown> {
  const messages: ChatMessage[] = req.system ? [{ role: "system", content: req.system }] : [];
  for (const message of req.messages) {
    if (message.role === "user") messages.push(...fromUser(message));
    else messages.push(fromAssistant(message));
  }
  const tools = req.tools ?? [];
  return {
    model: req.model,
    messages,
    max_completion_tokens: req.maxOutputTokens,
    ...(tools.length > 0
      ? {
          tools: tools.map((t) => ({
            type: "function",
            function: { name: t.name, description: t.description, parameters: t.inputSchema },
          })),
        }
      : {}),
    ...(req.toolChoice && tools.length > 0 ? { tool_choice: toolChoice(req.toolChoice) } : {}),
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    ...(req.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}
