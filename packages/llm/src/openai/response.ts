import { BernsteinError, type Usage } from "@bernstein/core";
import { parseToolInput } from "../tool-input.js";
import type { Block, ModelResponse, StopReason } from "../types.js";
import { OpenAICompletion, type OpenAIUsage } from "./wire.js";

/**
 * Maps `finish_reason`. A reply that carries tool calls is `tool_use` whatever the reason says:
 * some compatible servers answer `stop` with tool calls.
 */
export function stopReasonOf(reason: string | null | undefined, hasToolCalls: boolean): StopReason {
  if (hasToolCalls || reason === "tool_calls" || reason === "function_call") return "tool_use";
  if (reason === "stop") return "end_turn";
  if (reason === "length") return "max_tokens";
  if (reason === "content_filter") return "refusal";
  return "other";
}

/** `prompt_tokens` includes cached tokens; ours count them apart. */
export function usageOf(usage: OpenAIUsage | null | undefined): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    outputTokens: usage?.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

/** Text first, then tool calls, as an Anthropic answer would order them. */
export function toBlocks(text: string, calls: { id: string; name: string; arguments: string }[]): Block[] {
  const blocks: Block[] = text === "" ? [] : [{ type: "text", text }];
  for (const call of calls)
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parseToolInput(call.arguments) });
  return blocks;
}

/** Reads a Chat Completions response body. */
export function fromOpenAICompletion(
  body: unknown,
  requestId: string | undefined,
  requestedModel: string,
): ModelResponse {
  const parsed = OpenAICompletion.safeParse(body);
  if (!parsed.success)
    throw new BernsteinError("model_error", "openai sent an answer that is not a chat completion", {
      cause: parsed.error,
    });
  const choice = parsed.data.choices[0];
  const message = choice?.message;
  const calls = (message?.tool_calls ?? []).map((c, i) => ({
    id: c.id ?? `call_${i}`,
    name: c.function?.name ?? "",
    arguments: c.function?.arguments ?? "",
  }));
  const text = message?.content ?? message?.refusal ?? "";
  return {
    content: toBlocks(text, calls),
    stopReason: stopReasonOf(choice?.finish_reason, calls.length > 0),
    usage: usageOf(parsed.data.usage),
    model: parsed.data.model ?? requestedModel,
    ...(requestId ? { requestId } : {}),
  };
}
