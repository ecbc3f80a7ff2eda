import type { IncomingMessage } from "node:http";
import { buildAnswer } from "./answer.js";
import { presentedKey, type Reply } from "./http-io.js";
import type { OpenAIRequest } from "./openai-schema.js";
import { openaiCompletion, openaiError, openaiStream } from "./openai-wire.js";
import { failureHeaders, pickTurn } from "./scripted-turn.js";
import { UNKNOWN_KEY } from "./select-turn.js";
import type { ScriptedServerState } from "./server-state.js";
import { validateOpenAIRequest } from "./validate-openai.js";

function errorReply(status: number, body: unknown, extra: Partial<Reply> = {}): Reply {
  return { key: UNKNOWN_KEY, turn: -1, stream: false, exhausted: false, ...extra, status, json: body };
}

function failureBody(status: number) {
  if (status === 429) {
    return openaiError("Rate limit reached for requests (scripted).", "requests", null, "rate_limit_exceeded");
  }
  if (status >= 500) {
    return openaiError(
      "The server had an error while processing your request. Sorry about that!",
      "server_error",
      null,
      null,
    );
  }
  return openaiError(`scripted failure ${status}`, "invalid_request_error", null, null);
}

function firstUserText(request: OpenAIRequest): string {
  const first = request.messages.find((m) => m.role === "user");
  if (first === undefined) return "";
  if (typeof first.content === "string") return first.content;
  return first.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
}

/** Answers `POST /chat/completions` like the OpenAI Chat Completions API, from the script. */
export function handleOpenAI(state: ScriptedServerState, req: IncomingMessage, raw: string): Reply {
  const expected = state.options.apiKey;
  if (expected !== undefined) {
    const key = presentedKey(req);
    if (key === undefined) {
      const message =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
      return errorReply(401, openaiError(message, "invalid_request_error", null, null));
    }
    if (key !== expected) {
      return errorReply(
        401,
        openaiError("Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"),
      );
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    const message =
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)";
    return errorReply(400, openaiError(message, "invalid_request_error", null, null));
  }
  const validation = validateOpenAIRequest(body);
  if (!validation.ok) {
    const { message, param, code } = validation.error;
    return errorReply(400, openaiError(message, "invalid_request_error", param, code));
  }
  const request = validation.request;
  const stream = request.stream === true;
  const pick = pickTurn(state, {
    isPlan: (request.tools ?? []).some((t) => t.function.name === "submit_plan"),
    firstUserText: firstUserText(request),
    assistantCount: request.messages.filter((m) => m.role === "assistant").length,
  });
  const where = { key: pick.key, turn: pick.turn, stream, exhausted: false };
  const requestId = `req_scripted${String(state.serial).padStart(6, "0")}`;
  if (pick.failure !== undefined) {
    const headers = { ...failureHeaders(pick.failure), "x-request-id": requestId };
    return errorReply(pick.failure.status, failureBody(pick.failure.status), { ...where, headers });
  }
  const answer = buildAnswer(pick.answer, {
    key: pick.key,
    turn: pick.turn,
    model: request.model,
    toolIdPrefix: "call_",
    idPrefix: "chatcmpl-",
    serial: state.serial,
    requestChars: raw.length,
  });
  const includeUsage = request.stream_options?.include_usage === true;
  return {
    ...where,
    exhausted: pick.answer === undefined,
    status: 200,
    headers: { "x-request-id": requestId },
    delayMs: pick.answer?.delayMs ?? 0,
    ...(stream ? { frames: openaiStream(answer, includeUsage) } : { json: openaiCompletion(answer) }),
  };
}
