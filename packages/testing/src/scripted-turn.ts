import { type ConversationSummary, type Selection, selectTurn } from "./select-turn.js";
import type { ScriptedServerState } from "./server-state.js";

/** The selected turn, or the injected failure to answer instead. */
export interface Pick extends Selection {
  failure: { status: number; retryAfterSeconds: number | undefined } | undefined;
}

/** Selects the answer for a conversation and applies the turn's `fail` injection, counting it. */
export function pickTurn(state: ScriptedServerState, conversation: ConversationSummary): Pick {
  const selection = selectTurn(state.script, conversation);
  const fail = selection.answer?.fail;
  if (fail === undefined) return { ...selection, failure: undefined };
  const slot = `${selection.key}#${selection.turn}`;
  const served = state.failuresServed.get(slot) ?? 0;
  if (served >= (fail.times ?? 1)) return { ...selection, failure: undefined };
  state.failuresServed.set(slot, served + 1);
  return { ...selection, failure: { status: fail.status, retryAfterSeconds: fail.retryAfterSeconds } };
}

/** Headers of an injected failure. */
export function failureHeaders(failure: NonNullable<Pick["failure"]>): Record<string, string> {
  return failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) };
}
