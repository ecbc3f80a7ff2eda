import { join } from "node:path";
import { toBernsteinError } from "@bernstein/core";
import type { CliIo } from "../io.js";
import type { Output } from "../output/output.js";
import type { StatePaths } from "../stack/paths.js";
import { describeRunnerEvent, startRunnerSession } from "./runner-session.js";

export interface DevRunnerOptions {
  io: CliIo;
  out: Output;
  url: string;
  apiToken: string;
  repoRoot: string;
  paths: StatePaths;
  debug: boolean;
}

export interface DevRunner {
  /** One line for the dev banner: whether a runner is running. */
  readonly status: string;
  /** Stops the runner (abandoning a running job) and waits for it. */
  stop(): Promise<void>;
}

/**
 * The runner `bernstein dev` starts with its stack: registered with the stack's API token,
 * one job at a time, its job lines printed with the stack's output. A runner that cannot start
 * does not stop the stack: the banner says so and `bernstein runner` can be started by hand.
 */
export async function startDevRunner(options: DevRunnerOptions): Promise<DevRunner> {
  const { out } = options;
  const controller = new AbortController();
  try {
    const session = await startRunnerSession({
      url: options.url,
      apiToken: options.apiToken,
      name: "dev", // one name: each start replaces the previous start's runner token
      labels: [],
      concurrency: 1,
      cacheDir: join(options.paths.cacheDir, "runner-blobs"),
      repoRoot: options.repoRoot,
      env: options.io.env,
      signal: controller.signal,
      onEvent(event) {
        const line = describeRunnerEvent(event, out.errColor, options.debug);
        if (line !== undefined) out.note(`runner: ${line.trimStart()}`);
      },
    });
    const stopped = session.runner.stopped.catch((error: unknown) => {
      const failure = toBernsteinError(error);
      out.note(`runner stopped: ${failure.code}: ${failure.message}`);
    });
    return {
      status: `Runner: ${session.name} is running verify jobs (one at a time)`,
      async stop() {
        controller.abort();
        await stopped;
      },
    };
  } catch (error) {
    const failure = toBernsteinError(error);
    return {
      status: `Runner: not started (${failure.code}: ${failure.message}); verify jobs wait for \`bernstein runner\``,
      stop: async () => undefined,
    };
  }
}
