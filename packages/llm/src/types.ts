import type { Provider, Usage } from "@bernstein/core";

/** Content of a message, provider-neutral and close to Anthropic's blocks. */
export type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; toolUseId: string; content: string; isError?: boolean };

export interface Message {
  role: "user" | "assistant";
  content: Block[];
}

/** A tool offered to the model; `inputSchema` is a JSON Schema of type object. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ModelRequest {
  /** Bare model name, without the `provider/` prefix. */
  model: string;
  system?: string;
  messages: Message[];
  tools?: ToolSpec[];
  /** `any` = some tool must be called; `{name}` = that tool must be called. */
  toolChoice?: "auto" | "any" | { name: string };
  maxOutputTokens: number;
  temperature?: number;
  stream?: boolean;
}

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "refusal" | "other";

export interface ModelResponse {
  /** Text and tool_use blocks only. */
  content: Block[];
  stopReason: StopReason;
  /** `inputTokens` excludes cache reads, which are counted in `cacheReadTokens`. */
  usage: Usage;
  model: string;
  requestId?: string;
}

export interface CompleteOptions {
  signal?: AbortSignal;
}

export interface ModelClient {
  provider: Provider;
  complete(req: ModelRequest, options?: CompleteOptions): Promise<ModelResponse>;
}

export interface ProviderSettings {
  apiKey: string;
  baseUrl?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}
