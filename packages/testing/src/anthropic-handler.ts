import type { IncomingMessage } from "node:http";
import { buildAnswer } from "./answer.js";
import type { AnthropicRequest } from "./anthropic-schema.js";
import { anthropicError, anthropicMessage, anthropicStream } from "./anthropic-wire.js";
import { presentedKey, type Reply } from "./http-io.js";
import { failureHeaders, pickTurn } from "./scripted-turn.js";
import { UNKNOWN_KEY } from "./select-turn.js";
import type { ScriptedServerState } from "./server-state.js";
import { validateAnthropicRequest } from "./validate-anthropic.js";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function errorReply(status: number, message: string, extra: Partial<Reply> = {}): Reply {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return {
    key: UNKNOWN_KEY,
    turn: -1,
    stream: false,
    exhausted: false,
    ...extra,
    status,
    json: anthropicError(type, message),
  };
}

function firstUserText(request: AnthropicRequest): string {
  const first = request.messages[0];
  if (first === undefined) return "";
  if (typeof first.content === "string") return first.content;
  return first.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n");
}

/** Answers `POST /v1/messages` like the Anthropic Messages API, from the script. */
export function handleAnthropic(state: ScriptedServerState, req: IncomingMessage, raw: string): Reply {
  const expected = state.options.apiKey;
  if (expected !== undefined) {
    const key = presentedKey(req);
    if (key === undefined) return errorReply(401, "x-api-key header is required");
    if (key !== expected) return errorReply(401, "invalid x-api-key");
  }
  if (typeof req.headers["anthropic-version"] !== "string") {
    return errorReply(400, "anthropic-version: header is required");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    return errorReply(400, `There was an error parsing the body: ${(error as Error).message}`);
  }
  const validation = validateAnthropicRequest(body);
  if (!validation.ok) return errorReply(400, validation.message);
  const request = validation.request;
  const stream = request.stream === true;
  const pick = pickTurn(state, {
    isPlan: (request.tools ?? []).some((t) => t.name === "submit_plan"),
    firstUserText: firstUserText(request),
    assistantCount: request.messages.filter((m) => m.role === "assistant").length,
  });
  const where = { key: pick.key, turn: pick.turn, stream, exhausted: false };
  const requestId = `req_scripted${String(state.serial).padStart(6, "0")}`;
  if (pick.failure !== undefined) {
    const headers = { ...failureHeaders(pick.failure), "request-id": requestId };
    return errorReply(pick.failure.status, `scripted failure ${pick.failure.status}`, { ...where, headers });
  }
  const answer = buildAnswer(pick.answer, {
    key: pick.key,
    turn: pick.turn,
    model: request.model,
    toolIdPrefix: "toolu_",
    idPrefix: "msg_",
    serial: state.serial,
    requestChars: raw.length,
  });
  return {
    ...where,
    exhausted: pick.answer === undefined,
    status: 200,
    headers: { "request-id": requestId },
    delayMs: pick.answer?.delayMs ?? 0,
    ...(stream ? { frames: anthropicStream(answer) } : { json: anthropicMessage(answer) }),
  };
}
