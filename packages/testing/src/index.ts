export {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  CALCULATOR_TASKS,
  type CalculatorScriptOptions,
  calculatorScript,
  demoScript,
  README_ANCHOR,
} from "./calculator-script.js";
export {
  type AccountState,
  ALL_PERMISSIONS,
  type BucketRecord,
  type CloudflareStandIn,
  type CloudflareStandInOptions,
  type D1Record,
  type Permission,
  type RecordedApiRequest,
  type ScriptRecord,
  SECRET_PLACEHOLDER,
  splitStatements,
  startCloudflareStandIn,
  type WorkflowRecord,
} from "./cloudflare/index.js";
export { createFixtureRepo, type FixtureRepo, type FixtureRepoOptions, fixtureSourceDir } from "./fixture-repo.js";
export {
  type ModelScript,
  type RecordedRequest,
  SCRIPT_EXHAUSTED,
  type ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedProvider,
  type ScriptFailure,
  type ScriptToolCall,
  type ScriptTurn,
  type ScriptUsage,
} from "./script.js";
export { startScriptedModel } from "./scripted-model.js";
export { type ConversationSummary, PLAN_KEY, type Selection, selectTurn, UNKNOWN_KEY } from "./select-turn.js";
export { type DropProxy, startDropProxy } from "./stack/drop-proxy.js";
export { readEvents } from "./stack/events.js";
export { calculatorFiles, sha256, type UploadedSnapshot, uploadSnapshot } from "./stack/snapshot.js";
export {
  startTestStack,
  TEST_API_TOKEN,
  TEST_MODEL_KEY,
  type TestStack,
  type TestStackOptions,
} from "./stack/test-stack.js";
export { caughtError, closedPort } from "./test-helpers.js";
export { type AnthropicValidation, validateAnthropicRequest } from "./validate-anthropic.js";
export { type OpenAIInvalidRequest, type OpenAIValidation, validateOpenAIRequest } from "./validate-openai.js";
