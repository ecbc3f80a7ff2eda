import { type BernsteinClient, createClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import { type CloudFlags, resolveCloudTarget } from "../cloud/target.js";
import type { CliIo } from "../io.js";
import type { Output } from "../output/output.js";
import { isHealthy } from "./health.js";
import { clearLeftovers, stackIsRunning } from "./leftovers.js";
import type { StatePaths } from "./paths.js";
import { readStackFile, removeStackFile, type StackInfo } from "./stack-file.js";
import { startDetachedStack } from "./start-detached.js";
import { withStartLock } from "./start-lock.js";

export interface EnsureStackOptions {
  io: CliIo;
  root: string;
  paths: StatePaths;
  out: Output;
  debug: boolean;
  /**
   * Start a detached stack when none answers (only `run` does; every other command, above
   * all the read-only ones, says that none is running and how to start one).
   */
  autoStart?: boolean;
  /** `--cloud [--project NAME]`: the deployed stack instead of the local one. */
  cloud?: CloudFlags;
}

export interface StackConnection {
  client: BernsteinClient;
  url: string;
  /** True when this call started the stack. */
  started: boolean;
}

/**
 * A client of the stack this repo uses: `BERNSTEIN_URL` (+ `BERNSTEIN_TOKEN`) when set, else
 * the healthy stack of `<state-dir>/stack.json`, else (with `autoStart`) a detached stack started
 * now on any free port (under a lock, so concurrent commands share one).
 */
export async function ensureStack(options: EnsureStackOptions): Promise<StackConnection> {
  const { env } = options.io;
  if (options.cloud?.cloud) {
    const target = await resolveCloudTarget(env, options.cloud.project);
    const client = createClient({ baseUrl: target.url, token: target.token });
    return { client, url: client.baseUrl, started: false };
  }
  if (env.BERNSTEIN_URL) {
    const client = createClient({ baseUrl: env.BERNSTEIN_URL, token: env.BERNSTEIN_TOKEN });
    return { client, url: client.baseUrl, started: false };
  }
  const running = await runningStack(options.paths);
  if (running) return connection(running, false);
  if (options.autoStart !== true) {
    throw new BernsteinError("stack_unreachable", `no stack is running here (${options.root})`, {
      details: {
        fix: "Start one with `bernstein dev --detach` (or `bernstein dev` in the foreground), or let `bernstein run` start it.",
      },
    });
  }
  return withStartLock(
    options.paths.lockFile,
    async () => {
      // Another command may have started it while we waited for the lock.
      const raced = await runningStack(options.paths);
      if (raced) return connection(raced, false);
      const info = await startDetachedStack({
        root: options.root,
        paths: options.paths,
        port: 0,
        env,
        out: options.out,
        debug: options.debug,
      });
      options.out.note(
        `Started the local stack at ${info.url} (pid ${info.pid}); stop it with \`bernstein dev stop\`.`,
      );
      return connection(info, true);
    },
    { waiting: (text) => options.out.spinner(text) },
  );
}

/**
 * The stack of stack.json if it answers. A file whose process is gone (by pid and start time,
 * so a reused pid is not taken for it) is removed, and what that stack left running (its
 * workerd, which would go on serving the port) is stopped; a live process that does not answer
 * is an error (it would hold the state dir).
 */
export async function runningStack(paths: StatePaths): Promise<StackInfo | undefined> {
  const info = await readStackFile(paths.stackFile);
  if (info && stackIsRunning(info)) {
    if (await isHealthy(info)) return info;
    throw new BernsteinError("stack_unreachable", `the local stack (pid ${info.pid}) at ${info.url} does not answer`, {
      details: { url: info.url, fix: "Stop it with `bernstein dev stop`, then run the command again." },
    });
  }
  if (info) await removeStackFile(paths.stackFile, info.pid);
  await clearLeftovers(paths);
  return undefined;
}

function connection(info: StackInfo, started: boolean): StackConnection {
  const client = createClient({ baseUrl: info.url, token: info.token });
  return { client, url: client.baseUrl, started };
}
