import { BernsteinError, type ErrorCode } from "@bernstein/core";
import { parseJson, readSse } from "../sse.js";
import { parseToolInput } from "../tool-input.js";
import type { Block, ModelResponse } from "../types.js";
import { stopReasonOf, usageOf } from "./response.js";
import { type AnthropicStreamEvent, type AnthropicUsage, AnthropicStreamEvent as EventSchema } from "./wire.js";

type Building = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; json: string };

/** An `error` event mid-stream: overloaded and rate limits are retried like their HTTP twins. */
function streamError(event: AnthropicStreamEvent): BernsteinError {
  const type = event.error?.type ?? "api_error";
  const code: ErrorCode =
    type === "overloaded_error" || type === "api_error"
      ? "model_unavailable"
      : type === "rate_limit_error"
        ? "model_rate_limited"
        : "model_error";
  return new BernsteinError(code, `anthropic stream failed: ${type}: ${event.error?.message ?? "no message"}`, {
    details: { provider: "anthropic", type },
  });
}

function finish(blocks: (Building | undefined)[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b === undefined) return [];
    if (b.type === "text") return b.text === "" ? [] : [{ type: "text", text: b.text }];
    return [{ type: "tool_use", id: b.id, name: b.name, input: parseToolInput(b.json) }];
  });
}

/** Assembles a streamed Messages API answer into one response. */
export async function readAnthropicStream(res: Response, requestId: string | undefined): Promise<ModelResponse> {
  const blocks: (Building | undefined)[] = [];
  let model = "";
  let usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  for await (const sse of readSse("anthropic", res)) {
    const parsed = EventSchema.safeParse(parseJson("anthropic", sse.data));
    if (!parsed.success)
      throw new BernsteinError("model_error", `anthropic sent a malformed ${sse.event ?? "stream"} event`);
    const event = parsed.data;
    const index = event.index ?? 0;
    switch (event.type) {
      case "message_start":
        model = event.message?.model ?? model;
        usage = { ...usage, ...event.message?.usage };
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block?.type === "text") blocks[index] = { type: "text", text: block.text ?? "" };
        if (block?.type === "tool_use")
          blocks[index] = { type: "tool_use", id: block.id ?? "", name: block.name ?? "", json: "" };
        break;
      }
      case "content_block_delta": {
        const block = blocks[index];
        if (block?.type === "text" && event.delta?.type === "text_delta") block.text += event.delta.text ?? "";
        if (block?.type === "tool_use" && event.delta?.type === "input_json_delta")
          block.json += event.delta.partial_json ?? "";
        break;
      }
      case "message_delta":
        stopReason = event.delta?.stop_reason ?? stopReason;
        // Counts in message_delta are cumulative; keep the non-null ones.
        usage = { ...usage, ...Object.fromEntries(Object.entries(event.usage ?? {}).filter(([, v]) => v != null)) };
        break;
      case "message_stop":
        return {
          content: finish(blocks),
          stopReason: stopReasonOf(stopReason),
          usage: usageOf(usage),
          model,
          ...(requestId ? { requestId } : {}),
        };
      case "error":
        throw streamError(event);
    }
  }
  throw new BernsteinError("model_unavailable", "anthropic stream ended before message_stop", {
    details: { provider: "anthropic" },
  });
}
