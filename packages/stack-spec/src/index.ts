export { checkedInConfig, checkedInConfigText } from "./checked-in.js";
export { sqliteClasses } from "./durable-objects.js";
export {
  LOCAL_NAMES,
  PROJECT_NAME_MAX,
  PROJECT_NAME_PATTERN,
  projectNameProblem,
  projectNames,
  type StackNames,
} from "./names.js";
export {
  type AssetsSpec,
  type DurableObjectMigration,
  type DurableObjectSpec,
  MODEL_SECRETS,
  MODEL_VARS,
  STACK,
  type StackSpec,
  WORKER_KEYS,
  type WorkerKey,
  type WorkerSpec,
  type WorkflowSpec,
} from "./stack.js";
export {
  PLACEHOLDER_DATABASE_ID,
  renderJsonc,
  type WranglerConfig,
  type WranglerConfigOptions,
  wranglerConfig,
} from "./wrangler-config.js";
