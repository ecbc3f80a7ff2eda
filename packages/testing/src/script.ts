/** One tool call the scripted model makes. */
export interface ScriptToolCall {
  name: string;
  input: Record<string, unknown>;
}

/** Token counts a scripted answer reports; `input` excludes cache reads (Anthropic's `input_tokens`). */
export interface ScriptUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
}

/** Answer `status` this many times (default 1) before the real answer: exercises client retries. */
export interface ScriptFailure {
  status: number;
  retryAfterSeconds?: number;
  times?: number;
}

/** One model answer: text and/or tool calls, with optional usage, delay and injected failures. */
export interface ScriptTurn {
  text?: string;
  tools?: ScriptToolCall[];
  usage?: ScriptUsage;
  delayMs?: number;
  fail?: ScriptFailure;
}

/**
 * What the scripted model answers. `plan` answers planning calls (requests offering the
 * `submit_plan` tool); `tasks` maps a substring of the agent's first user message (normally
 * the task title) to that agent's turns in order.
 */
export interface ModelScript {
  plan?: ScriptTurn[];
  tasks: Record<string, ScriptTurn[]>;
}

export type ScriptedProvider = "anthropic" | "openai";

/** One request the server received, as recorded (auth headers redacted). */
export interface RecordedRequest {
  provider: ScriptedProvider;
  path: string;
  /** Script key, `"plan"` for planning calls, `"?"` when no key matched. */
  key: string;
  turn: number;
  stream: boolean;
  status: number;
  /** True when the answer was the "script exhausted" fallback. */
  exhausted: boolean;
  body: unknown;
  headers: Record<string, string>;
  at: number;
}

export interface ScriptedModelOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** When set, requests must carry this key (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  /** Delay before every answer. */
  latencyMs?: number;
}

/** A running scripted model server. */
export interface ScriptedModel {
  url: string;
  /** Base URL for Anthropic clients (they append `/v1/messages`). */
  anthropicBaseUrl: string;
  /** Base URL for OpenAI clients (they append `/chat/completions`). */
  openaiBaseUrl: string;
  requests: RecordedRequest[];
  /**
   * Keeps answers back (requests still arrive and are recorded) until the returned function
   * is called: a test makes "calls in flight" a state it controls, not a race. `which` picks
   * the requests to hold (default all; e.g. `(r) => r.key !== "plan"` lets planning through).
   */
  hold(which?: (request: RecordedRequest) => boolean): () => void;
  /**
   * Takes the model down until the returned function is called: every request is still
   * recorded, and answered `answer` (an HTTP status with the provider's error body, and
   * `retry-after` when given) or, with `"reset"`, its connection is closed without an answer
   * (an unreachable model). The script does not advance meanwhile.
   */
  outage(answer: number | "reset", options?: { retryAfterSeconds?: number }): () => void;
  close(): Promise<void>;
}

/** Text of the answer given when the script has no turn for a request. */
export const SCRIPT_EXHAUSTED = "script exhausted";
