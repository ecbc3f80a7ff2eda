import { send } from "../send.js";
import { parseJson } from "../sse.js";
import type { ModelClient, ModelRequest, ProviderSettings } from "../types.js";
import { validateModelRequest } from "../validate-conversation.js";
import { toAnthropicBody } from "./request.js";
import { fromAnthropicMessage } from "./response.js";
import { readAnthropicStream } from "./stream.js";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";
export const ANTHROPIC_VERSION = "2023-06-01";

/** A client of the Anthropic Messages API (`POST {baseUrl}/v1/messages`). */
export function createAnthropicClient(settings: ProviderSettings): ModelClient {
  const base = (settings.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, "");
  return {
    provider: "anthropic",
    async complete(req: ModelRequest, options = {}) {
      validateModelRequest(req);
      const call = {
        provider: "anthropic" as const,
        url: `${base}/v1/messages`,
        headers: {
          "content-type": "application/json",
          "x-api-key": settings.apiKey,
          "anthropic-version": ANTHROPIC_VERSION,
          ...(req.stream ? { accept: "text/event-stream" } : {}),
        },
        body: toAnthropicBody(req),
        async read(res: Response) {
          const requestId = res.headers.get("request-id") ?? undefined;
          if (req.stream) return readAnthropicStream(res, requestId);
          return fromAnthropicMessage(parseJson("anthropic", await res.text()), requestId);
        },
      };
      return send(call, settings, options.signal);
    },
  };
}
