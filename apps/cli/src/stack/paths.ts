import { isAbsolute, join, resolve } from "node:path";

/** Where a stack keeps its files, all under the state dir (default `.bernstein/` of the repo). */
export interface StatePaths {
  /** The state dir itself. */
  dir: string;
  /** `stack.json`: url, pid, token of the running stack (mode 0600). */
  stackFile: string;
  /**
   * `runtime.json`: the stack process (pid and start time) and the processes it started
   * (workerd, the runner's commands), kept up to date while it runs; what a crashed stack left
   * is stopped from it by the next start or `dev stop`.
   */
  runtimeFile: string;
  /** Output of a detached stack. */
  logFile: string;
  /** Held while a stack is being started, so two commands never start two stacks. */
  lockFile: string;
  /** Miniflare persistence: D1, R2, Durable Objects, Workflows. */
  persistDir: string;
  /** Caches of the CLI (git blob hashes). */
  cacheDir: string;
  /** Scratch space (temporary git indexes, downloads). */
  tmpDir: string;
  /** The stack's audit HMAC key: stable across restarts so old chains still verify. */
  auditKeyFile: string;
}

export const DEFAULT_STATE_DIR = ".bernstein";

/** Resolves the state dir against the repo root (an absolute dir is taken as is). */
export function statePaths(repoRoot: string, stateDir: string = DEFAULT_STATE_DIR): StatePaths {
  const dir = isAbsolute(stateDir) ? stateDir : resolve(repoRoot, stateDir);
  return {
    dir,
    stackFile: join(dir, "stack.json"),
    runtimeFile: join(dir, "runtime.json"),
    logFile: join(dir, "stack.log"),
    lockFile: join(dir, "stack.lock"),
    persistDir: join(dir, "state"),
    cacheDir: join(dir, "cache"),
    tmpDir: join(dir, "tmp"),
    auditKeyFile: join(dir, "audit-key"),
  };
}
