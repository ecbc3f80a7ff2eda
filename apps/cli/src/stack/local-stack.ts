import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import type { LogLevel } from "miniflare";
import type { StatePaths } from "./paths.js";
import { generateToken, loadOrCreateAuditKey } from "./secrets.js";
import type { WorkerBundles } from "./worker-bundles.js";

export interface StartRepoStackOptions {
  paths: StatePaths;
  bundles: WorkerBundles;
  /** 0 picks any free port. */
  port: number;
  /** The environment the model variables are read from (never written anywhere). */
  env: Readonly<Record<string, string | undefined>>;
  /** Miniflare's log level (default WARN; DEBUG with --debug). */
  logLevel?: LogLevel;
}

/**
 * Starts the local stack of one repository: persisted under `<state-dir>/state`, a fresh API
 * token, and the repository's audit key (created once, so old chains keep verifying).
 */
export async function startRepoStack(options: StartRepoStackOptions): Promise<LocalStack> {
  return startLocalStack({
    bundles: options.bundles,
    port: options.port,
    persistDir: options.paths.persistDir,
    token: generateToken(),
    auditKey: await loadOrCreateAuditKey(options.paths.auditKeyFile),
    env: options.env,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
  });
}
