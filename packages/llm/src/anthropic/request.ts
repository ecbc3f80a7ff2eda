import type { Block, Message, ModelRequest } from "../types.js";

function toBlock(block: Block): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "tool_result":
      return {
        type: "tool_result",
        tool_use_id: block.toolUseId,
        content: block.content,
        ...(block.isError ? { is_error: true } : {}),
      };
  }
}

/** Tool results first: the API wants them at the start of the user message. */
function toMessage(message: Message): Record<string, unknown> {
  const results = message.content.filter((b) => b.type === "tool_result");
  const rest = message.content.filter((b) => b.type !== "tool_result");
  return { role: message.role, content: [...results, ...rest].map(toBlock) };
}

function toolChoice(choice: NonNullable<ModelRequest["toolChoice"]>): Record<string, unknown> {
  if (choice === "auto") return { type: "auto" };
  if (choice === "any") return { type: "any" };
  return { type: "tool", name: choice.name };
}

/** The Messages API body for a request. */
export function toAnthropicBody(req: ModelRequest): Record<string, unknown> {
  return {
    model: req.model,
    max_tokens: req.maxOutputTokens,
    messages: req.messages.map(toMessage),
    ...(req.system ? { system: req.system } : {}),
    ...(req.tools && req.tools.length > 0
      ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })) }
      : {}),
    ...(req.toolChoice && req.tools && req.tools.length > 0 ? { tool_choice: toolChoice(req.toolChoice) } : {}),
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    ...(req.stream ? { stream: true } : {}),
  };
}
