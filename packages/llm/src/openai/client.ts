import { send } from "../send.js";
import { parseJson } from "../sse.js";
import type { ModelClient, ModelRequest, ProviderSettings } from "../types.js";
import { validateModelRequest } from "../validate-conversation.js";
import { toOpenAIBody } from "./request.js";
import { fromOpenAICompletion } from "./response.js";
import { readOpenAIStream } from "./stream.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** A client of an OpenAI-compatible Chat Completions API (`POST {baseUrl}/chat/completions`). */
export function createOpenAIClient(settings: ProviderSettings): ModelClient {
  const base = (settings.baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, "");
  return {
    provider: "openai",
    async complete(req: ModelRequest, options = {}) {
      validateModelRequest(req);
      const call = {
        provider: "openai" as const,
        url: `${base}/chat/completions`,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${settings.apiKey}`,
          ...(req.stream ? { accept: "text/event-stream" } : {}),
        },
        body: toOpenAIBody(req),
        async read(res: Response) {
          const requestId = res.headers.get("x-request-id") ?? undefined;
          if (req.stream) return readOpenAIStream(res, requestId, req.model);
          return fromOpenAICompletion(parseJson("openai", await res.text()), requestId, req.model);
        },
      };
      return send(call, settings, options.signal);
    },
  };
}
