import { BernsteinError } from "@bernstein/core";
import { parseJson, readSse } from "../sse.js";
import type { ModelResponse } from "../types.js";
import { stopReasonOf, toBlocks, usageOf } from "./response.js";
import { OpenAIChunk, type OpenAIUsage } from "./wire.js";

interface CallBuilder {
  id: string;
  name: string;
  arguments: string;
}

/** Assembles `chat.completion.chunk` events (up to `[DONE]`) into one response. */
export async function readOpenAIStream(
  res: Response,
  requestId: string | undefined,
  requestedModel: string,
): Promise<ModelResponse> {
  let text = "";
  const calls: CallBuilder[] = [];
  let model = requestedModel;
  let finishReason: string | null | undefined;
  let usage: OpenAIUsage | null | undefined;
  let done = false;
  for await (const sse of readSse("openai", res)) {
    if (sse.data.trim() === "[DONE]") {
      done = true;
      break;
    }
    const parsed = OpenAIChunk.safeParse(parseJson("openai", sse.data));
    if (!parsed.success) throw new BernsteinError("model_error", "openai sent a malformed stream chunk");
    const chunk = parsed.data;
    if (chunk.error) {
      throw new BernsteinError("model_unavailable", `openai stream failed: ${chunk.error.message ?? "no message"}`, {
        details: { provider: "openai", type: chunk.error.type ?? null },
      });
    }
    model = chunk.model ?? model;
    usage = chunk.usage ?? usage;
    for (const choice of chunk.choices ?? []) {
      text += choice.delta?.content ?? choice.delta?.refusal ?? "";
      finishReason = choice.finish_reason ?? finishReason;
      for (const delta of choice.delta?.tool_calls ?? []) {
        const index = delta.index ?? calls.length;
        const call = calls[index] ?? { id: "", name: "", arguments: "" };
        calls[index] = call;
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? "";
      }
    }
  }
  // A stream cut before its end (no [DONE], no finish_reason) is retried as a broken connection.
  if (!done && finishReason == null) {
    throw new BernsteinError("model_unavailable", "openai stream ended before [DONE]", {
      details: { provider: "openai" },
    });
  }
  const finished = calls.filter((c) => c !== undefined).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
  return {
    content: toBlocks(text, finished),
    stopReason: stopReasonOf(finishReason, finished.length > 0),
    usage: usageOf(usage),
    model,
    ...(requestId ? { requestId } : {}),
  };
}
