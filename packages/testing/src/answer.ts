import { createHash } from "node:crypto";
import { SCRIPT_EXHAUSTED, type ScriptTurn } from "./script.js";

/** A scripted answer in provider-neutral form, ready to be written in either wire format. */
export interface Answer {
  id: string;
  model: string;
  text: string | undefined;
  tools: { id: string; name: string; input: Record<string, unknown> }[];
  usage: { input: number; output: number; cacheRead: number };
}

export interface AnswerContext {
  key: string;
  turn: number;
  model: string;
  /** Prefix of tool-call ids in the target format: `toolu_` or `call_`. */
  toolIdPrefix: string;
  /** Prefix of the answer id: `msg_` or `chatcmpl-`. */
  idPrefix: string;
  /** Serial number of the request, so answer ids differ between calls. */
  serial: number;
  /** Size of the request body, for a plausible default input token count. */
  requestChars: number;
}

/** Deterministic id: a replayed turn gets the same tool-call ids as the first time. */
function stableId(prefix: string, ...parts: (string | number)[]): string {
  return prefix + createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);
}

/** Turns a script turn (or none: the script is exhausted) into an answer. */
export function buildAnswer(turn: ScriptTurn | undefined, ctx: AnswerContext): Answer {
  const text = turn === undefined ? SCRIPT_EXHAUSTED : turn.text;
  const tools = (turn?.tools ?? []).map((tool, index) => ({
    id: stableId(ctx.toolIdPrefix, ctx.key, ctx.turn, index),
    name: tool.name,
    input: tool.input,
  }));
  const outputChars = (text?.length ?? 0) + tools.reduce((n, t) => n + JSON.stringify(t.input).length, 0);
  return {
    id: stableId(ctx.idPrefix, ctx.key, ctx.turn, ctx.serial),
    model: ctx.model,
    text: text === "" ? undefined : text,
    tools,
    usage: {
      input: turn?.usage?.input ?? Math.max(1, Math.ceil(ctx.requestChars / 4)),
      output: turn?.usage?.output ?? Math.max(1, Math.ceil(outputChars / 4)),
      cacheRead: turn?.usage?.cacheRead ?? 0,
    },
  };
}

/** Splits a string into pieces so streamed answers arrive in several deltas, like the real ones. */
export function chunks(value: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out.length > 0 ? out : [""];
}
