import type { ModelScript, ScriptTurn } from "./script.js";

/** What selection needs to know about a conversation, whatever the wire format. */
export interface ConversationSummary {
  /** The request offers the `submit_plan` tool. */
  isPlan: boolean;
  /** All text of the first user message. */
  firstUserText: string;
  /** Assistant messages already in the conversation. */
  assistantCount: number;
}

export interface Selection {
  key: string;
  turn: number;
  answer: ScriptTurn | undefined;
}

export const PLAN_KEY = "plan";
export const UNKNOWN_KEY = "?";

/**
 * Picks the scripted answer. The turn is the number of assistant messages already present,
 * so a replayed or resumed call gets the same answer; the key is the longest script key found
 * in the first user message, so "Add multiply" does not steal "Add multiply and divide".
 */
export function selectTurn(script: ModelScript, conversation: ConversationSummary): Selection {
  const turn = conversation.assistantCount;
  if (conversation.isPlan) return { key: PLAN_KEY, turn, answer: script.plan?.[turn] };
  let best: string | undefined;
  for (const key of Object.keys(script.tasks)) {
    if (conversation.firstUserText.includes(key) && (best === undefined || key.length > best.length)) best = key;
  }
  if (best === undefined) return { key: UNKNOWN_KEY, turn, answer: undefined };
  return { key: best, turn, answer: script.tasks[best]?.[turn] };
}
