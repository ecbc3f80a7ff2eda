import { type Answer, chunks } from "./answer.js";
import type { SseFrame } from "./anthropic-wire.js";

const finishReason = (answer: Answer) => (answer.tools.length > 0 ? "tool_calls" : "stop");

function usageOf(answer: Answer) {
  const prompt = answer.usage.input + answer.usage.cacheRead;
  return {
    prompt_tokens: prompt,
    completion_tokens: answer.usage.output,
    total_tokens: prompt + answer.usage.output,
    prompt_tokens_details: { cached_tokens: answer.usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function envelope(answer: Answer, object: string) {
  return {
    id: answer.id,
    object,
    created: Math.floor(Date.now() / 1000),
    model: answer.model,
    system_fingerprint: null,
  };
}

/** A Chat Completions response body (`object: "chat.completion"`). */
export function openaiCompletion(answer: Answer): Record<string, unknown> {
  const toolCalls = answer.tools.map((t) => ({
    id: t.id,
    type: "function",
    function: { name: t.name, arguments: JSON.stringify(t.input) },
  }));
  const message = {
    role: "assistant",
    content: answer.text ?? null,
    refusal: null,
    annotations: [],
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  return {
    ...envelope(answer, "chat.completion"),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(answer) }],
    usage: usageOf(answer),
    service_tier: "default",
  };
}

/** The SSE chunks of a streamed completion; a usage chunk when asked, then `[DONE]`. */
export function openaiStream(answer: Answer, includeUsage: boolean): SseFrame[] {
  const usage = includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): SseFrame => ({
    event: undefined,
    data: {
      ...envelope(answer, "chat.completion.chunk"),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usage,
    },
  });
  const frames: SseFrame[] = [chunk({ role: "assistant", content: "", refusal: null })];
  if (answer.text !== undefined) for (const content of chunks(answer.text, 16)) frames.push(chunk({ content }));
  for (const [index, tool] of answer.tools.entries()) {
    const head = { index, id: tool.id, type: "function", function: { name: tool.name, arguments: "" } };
    frames.push(chunk({ tool_calls: [head] }));
    for (const args of chunks(JSON.stringify(tool.input), 24)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
    }
  }
  frames.push(chunk({}, finishReason(answer)));
  if (includeUsage) {
    frames.push({
      event: undefined,
      data: { ...envelope(answer, "chat.completion.chunk"), choices: [], usage: usageOf(answer) },
    });
  }
  frames.push({ event: undefined, data: "[DONE]" });
  return frames;
}

/** The body of an OpenAI error response. */
export function openaiError(message: string, type: string, param: string | null, code: string | null) {
  return { error: { message, type, param, code } };
}
