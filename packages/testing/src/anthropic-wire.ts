import { type Answer, chunks } from "./answer.js";

/** One server-sent event: `event:` name and JSON `data:`. */
export interface SseFrame {
  event: string | undefined;
  data: unknown;
}

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

function contentOf(answer: Answer): Block[] {
  const blocks: Block[] = answer.text === undefined ? [] : [{ type: "text", text: answer.text }];
  for (const tool of answer.tools) blocks.push({ type: "tool_use", ...tool });
  return blocks;
}

function usageOf(answer: Answer) {
  return {
    input_tokens: answer.usage.input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: answer.usage.cacheRead,
    output_tokens: answer.usage.output,
  };
}

const stopReason = (answer: Answer) => (answer.tools.length > 0 ? "tool_use" : "end_turn");

/** A Messages API response body (`type: "message"`). */
export function anthropicMessage(answer: Answer): Record<string, unknown> {
  return {
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: contentOf(answer),
    stop_reason: stopReason(answer),
    stop_sequence: null,
    usage: usageOf(answer),
  };
}

/** The SSE events of a streamed Messages API response, in the real order. */
export function anthropicStream(answer: Answer): SseFrame[] {
  const frame = (data: { type: string; [field: string]: unknown }): SseFrame => ({ event: data.type, data });
  const start = {
    ...anthropicMessage(answer),
    content: [],
    stop_reason: null,
    usage: { ...usageOf(answer), output_tokens: 1 },
  };
  const frames: SseFrame[] = [frame({ type: "message_start", message: start }), frame({ type: "ping" })];
  for (const [index, block] of contentOf(answer).entries()) {
    if (block.type === "text") {
      frames.push(frame({ type: "content_block_start", index, content_block: { type: "text", text: "" } }));
      for (const text of chunks(block.text, 16)) {
        frames.push(frame({ type: "content_block_delta", index, delta: { type: "text_delta", text } }));
      }
    } else {
      const contentBlock = { type: "tool_use", id: block.id, name: block.name, input: {} };
      frames.push(frame({ type: "content_block_start", index, content_block: contentBlock }));
      for (const partial_json of chunks(JSON.stringify(block.input), 24)) {
        frames.push(frame({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }));
      }
    }
    frames.push(frame({ type: "content_block_stop", index }));
  }
  const delta = { stop_reason: stopReason(answer), stop_sequence: null };
  frames.push(frame({ type: "message_delta", delta, usage: { output_tokens: answer.usage.output } }));
  frames.push(frame({ type: "message_stop" }));
  return frames;
}

/** The body of an Anthropic error response. */
export function anthropicError(type: string, message: string): Record<string, unknown> {
  return { type: "error", error: { type, message } };
}
