export { type BlobCache, type BlobFetcher, type CachedBlob, createBlobCache, sha256Of } from "./blob-cache.js";
export { type CappedLog, createCappedLog, DEFAULT_MAX_LOG_BYTES, lastLines } from "./capped-log.js";
export type { PostedResult, RunnerEvent } from "./events.js";
export { type ExecOptions, type ExecResult, execCommands } from "./exec-commands.js";
export { isSecretVariable, jobEnvironment } from "./job-env.js";
export { type JobTree, type MaterialiseOptions, materialise } from "./materialise.js";
export type { BackoffOptions } from "./retry.js";
export { type Runner, type StartRunnerOptions, startRunner } from "./start-runner.js";
export { checkManifestPaths, type WriteTreeOptions, type WriteTreeStats, writeTree } from "./write-tree.js";
