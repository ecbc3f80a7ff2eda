export { ANTHROPIC_BASE_URL, ANTHROPIC_VERSION, createAnthropicClient } from "./anthropic/client.js";
export {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_OPENAI_MODEL,
  type ModelConfig,
  modelConfigFromEnv,
  type ProviderConfig,
} from "./config.js";
export { usageToCost } from "./cost.js";
export { createModelClientFor } from "./create-client.js";
export { createOpenAIClient, OPENAI_BASE_URL } from "./openai/client.js";
export { retryAfterMs } from "./retry-after.js";
export type {
  Block,
  CompleteOptions,
  Message,
  ModelClient,
  ModelRequest,
  ModelResponse,
  ProviderSettings,
  StopReason,
  ToolSpec,
} from "./types.js";
export { validateConversation, validateModelRequest } from "./validate-conversation.js";
