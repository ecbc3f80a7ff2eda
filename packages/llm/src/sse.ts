import { BernsteinError, type Provider } from "@bernstein/core";
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";

/** The server-sent events of a streamed answer, parsed with eventsource-parser. */
export async function* readSse(provider: Provider, res: Response): AsyncGenerator<EventSourceMessage> {
  if (res.body === null) throw new BernsteinError("model_error", `${provider} sent a streamed answer with no body`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the download when the caller is done early (at `[DONE]` or on an error event).
    await reader.cancel();
  }
}

/** Parses a JSON payload of the provider; a garbled one is a `model_error`. */
export function parseJson(provider: Provider, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BernsteinError("model_error", `${provider} sent invalid JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}
