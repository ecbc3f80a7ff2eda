export {
  COMPATIBILITY_DATE,
  COMPATIBILITY_FLAGS,
  LOOPBACK,
  miniflareOptions,
  type StackOptions,
  type WorkerBundles,
  workerBindings,
} from "./miniflare-options.js";
export { hasModelKey, MODEL_ENV_VARS, type ModelEnvVar, pickModelEnv } from "./model-env.js";
export { type LocalStack, type StartLocalStackOptions, startLocalStack } from "./start-local-stack.js";
