export { type BlobCache, type BlobFetcher, type CachedBlob, createBlobCache, sha256Of } from "./blob-cache.js";
export { type CappedLog, createCappedLog, DEFAULT_MAX_LOG_BYTES, lastLines } from "./capped-log.js";
export type { PostedResult, RunnerEvent } from "./events.js";
export { type ExecOptions, type ExecResult, execCommands } from "./exec-commands.js";
export { BASE_ENV_ALLOWLIST, isSecretVariable, jobEnvironment, secretValues } from "./job-env.js";
export { type JUnitReport, parseJUnit } from "./reports/junit.js";
export { createTapReader, type TapReader } from "./reports/tap-reader.js";
export type { TestCase } from "./reports/test-case.js";
export type { BackoffOptions } from "./retry.js";
export { defaultWorkspaceRoot, type Runner, type StartRunnerOptions, startRunner } from "./start-runner.js";
export { type TreeVerification, type VerifyTreeOptions, verifyTree } from "./verify/verify-tree.js";
export type { SyncStats } from "./workspace/sync-tree.js";
export {
  type OpenWorkspaceOptions,
  openWorkspace,
  type SyncOptions,
  type SyncResult,
  setupFingerprint,
  type WarmWorkspace,
  workspaceDirName,
} from "./workspace/warm-workspace.js";
export { checkManifestPaths, type WriteTreeOptions, type WriteTreeStats, writeTree } from "./write-tree.js";
