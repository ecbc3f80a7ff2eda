import { BernsteinError, type Usage } from "@bernstein/core";
import { parseToolInput } from "../tool-input.js";
import type { Block, ModelResponse, StopReason } from "../types.js";
import { type AnthropicMessage, type AnthropicUsage, AnthropicMessage as MessageSchema } from "./wire.js";

const STOP_REASONS: readonly string[] = ["end_turn", "tool_use", "max_tokens", "stop_sequence", "refusal"];

/** Anthropic's stop reasons map one to one; newer ones (pause_turn...) become `other`. */
export function stopReasonOf(value: string | null | undefined): StopReason {
  return value && STOP_REASONS.includes(value) ? (value as StopReason) : "other";
}

/** Anthropic's `input_tokens` already excludes cache reads and writes. */
export function usageOf(usage: AnthropicUsage | undefined): Usage {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
  };
}

function toBlocks(content: AnthropicMessage["content"]): Block[] {
  const blocks: Block[] = [];
  for (const block of content) {
    if (block.type === "text" && block.text) blocks.push({ type: "text", text: block.text });
    if (block.type === "tool_use" && block.id && block.name) {
      const input =
        typeof block.input === "object" && block.input !== null && !Array.isArray(block.input)
          ? (block.input as Record<string, unknown>)
          : parseToolInput(JSON.stringify(block.input ?? {}));
      blocks.push({ type: "tool_use", id: block.id, name: block.name, input });
    }
  }
  return blocks;
}

/** Reads a Messages API response body. */
export function fromAnthropicMessage(body: unknown, requestId: string | undefined): ModelResponse {
  const parsed = MessageSchema.safeParse(body);
  if (!parsed.success)
    throw new BernsteinError("model_error", "anthropic sent an answer that is not a message", { cause: parsed.error });
  const message = parsed.data;
  return {
    content: toBlocks(message.content),
    stopReason: stopReasonOf(message.stop_reason),
    usage: usageOf(message.usage),
    model: message.model,
    ...(requestId ? { requestId } : {}),
  };
}
