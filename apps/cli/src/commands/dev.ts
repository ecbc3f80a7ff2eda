import { BernsteinError } from "@bernstein/core";
import { LogLevel } from "miniflare";
import type { CliIo } from "../io.js";
import { createOutput } from "../output/output.js";
import { runningStack } from "../stack/ensure-stack.js";
import { holdRuntime, releaseRuntime } from "../stack/leftovers.js";
import { startRepoStack } from "../stack/local-stack.js";
import type { StatePaths } from "../stack/paths.js";
import { choosePort } from "../stack/port.js";
import { removeStackFile, stackInfoOf, writeStackFile } from "../stack/stack-file.js";
import { startDetachedStack } from "../stack/start-detached.js";
import { resolveWorkerBundles } from "../stack/worker-bundles.js";
import { VERSION } from "../version.js";
import { defineCommand } from "./define.js";
import { type DevRunner, startDevRunner } from "./dev-runner.js";
import { parsePort } from "./option-parsers.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STATE_DIR_OPTION } from "./shared-options.js";

interface DevOptions {
  port?: number;
  stateDir?: string;
  detach?: boolean;
  detachChild?: boolean;
  json?: boolean;
}

export const devCommand = defineCommand<DevOptions>({
  path: ["dev"],
  description:
    "Start the local stack (orchestrator and agent Workers, D1, R2, Durable Objects, Workflows under Miniflare) on 127.0.0.1, persisted in .bernstein/ of the repo",
  options: [
    {
      flags: "--port <port>",
      description:
        "port on 127.0.0.1 (default 8787, or a free one when 8787 is taken; a port given here must be free; 0 = any free port)",
      parse: parsePort,
    },
    STATE_DIR_OPTION,
    { flags: "--detach", description: "start it in the background and return (output in .bernstein/stack.log)" },
    { flags: "--detach-child", description: "internal: the background stack process itself", hidden: true },
    JSON_OPTION,
  ],
  examples: [
    { command: "bernstein dev", description: "run the stack in this terminal until Ctrl-C" },
    { command: "bernstein dev --port 0 --detach", description: "start it in the background on any free port" },
    { command: "bernstein dev stop", description: "stop it" },
  ],
  async handler(_args, options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    // The detached child binds what its parent chose.
    const port = options.detachChild ? (options.port ?? 0) : undefined;
    if (options.detach && !options.detachChild) {
      const existing = await runningStack(paths);
      const info =
        existing ??
        (await startDetachedStack({
          root,
          paths,
          port: await choosePort(options.port, out.note),
          env: io.env,
          out,
          debug,
        }));
      if (out.json)
        out.data({
          url: info.url,
          pid: info.pid,
          token: info.token,
          stateDir: info.stateDir,
          alreadyRunning: Boolean(existing),
        });
      else {
        out.print(`${existing ? "Already running" : "Started"}: ${info.url} (pid ${info.pid})`);
        out.print(`Token: ${info.token}`);
        out.print("Stop it with `bernstein dev stop`.");
      }
      return 0;
    }
    const existing = await runningStack(paths);
    if (existing) {
      throw new BernsteinError(
        "conflict",
        `a stack is already running for this repo at ${existing.url} (pid ${existing.pid})`,
        {
          details: { fix: "Use it as it is, or stop it first with `bernstein dev stop`." },
        },
      );
    }
    return serveForeground(io, paths, port ?? (await choosePort(options.port, out.note)), {
      debug,
      json: Boolean(options.json),
      child: Boolean(options.detachChild),
      root,
    });
  },
});

/** Runs the stack in this process until the CLI's signal aborts (Ctrl-C, SIGTERM from `dev stop`). */
async function serveForeground(
  io: CliIo,
  paths: StatePaths,
  port: number,
  flags: { debug: boolean; json: boolean; child: boolean; root: string },
): Promise<number> {
  const out = createOutput(io, { json: flags.json });
  const bundles = resolveWorkerBundles(io.env);
  // runtime.json names this process and what it starts (workerd, the runner's commands).
  await holdRuntime(paths);
  const spinner = flags.child ? undefined : out.spinner("Starting the local stack…");
  const stack = await startRepoStack({
    paths,
    bundles,
    port,
    env: io.env,
    logLevel: flags.debug ? LogLevel.DEBUG : flags.child ? LogLevel.INFO : LogLevel.WARN,
  })
    .catch(async (error: unknown) => {
      await releaseRuntime();
      throw error;
    })
    .finally(() => spinner?.stop());
  let runner: DevRunner | undefined;
  try {
    const info = stackInfoOf(stack, paths.dir, io.env);
    await writeStackFile(paths.stackFile, info);
    runner = await startDevRunner({
      io,
      out,
      url: stack.url,
      apiToken: stack.token,
      repoRoot: flags.root,
      paths,
      debug: flags.debug,
    });
    if (flags.child) {
      // Goes to stack.log: never the token.
      out.print(`bernstein ${VERSION}: local stack ready at ${stack.url} (pid ${process.pid})`);
      out.print(runner.status);
    } else if (flags.json) {
      out.data({ url: info.url, pid: info.pid, token: info.token, stateDir: info.stateDir });
      out.note(runner.status);
    } else {
      out.print(`Local stack ready at ${out.color.bold(stack.url)}`);
      out.print(`Token: ${stack.token}`);
      out.print(`State: ${paths.dir}`);
      if (stack.migrationsApplied.length > 0) out.print(`Applied migrations: ${stack.migrationsApplied.join(", ")}`);
      out.print(runner.status);
      out.print("Press Ctrl-C to stop.");
    }
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    if (!flags.child) out.note("Stopping the local stack…");
  } finally {
    await runner?.stop();
    await stack.stop();
    await removeStackFile(paths.stackFile, process.pid);
    await releaseRuntime();
  }
  return 0;
}
