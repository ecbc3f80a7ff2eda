import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { BernsteinError } from "@bernstein/core";
import type { Output } from "../output/output.js";
import { cliEntry } from "./cli-entry.js";
import { isHealthy } from "./health.js";
import type { StatePaths } from "./paths.js";
import { isAlive, signal } from "./process.js";
import { isNotFound, readStackFile, type StackInfo } from "./stack-file.js";

export interface DetachedStartOptions {
  root: string;
  paths: StatePaths;
  /** 0 picks any free port. */
  port: number;
  env: Readonly<Record<string, string | undefined>>;
  out: Output;
  debug: boolean;
  timeoutMs?: number;
}

/**
 * Starts the stack as a detached process (`bernstein dev --detach-child`) with its output in
 * `<state-dir>/stack.log`, and waits until it has written stack.json and answers `/healthz`.
 * If it dies first, the error carries the end of its log.
 */
export async function startDetachedStack(options: DetachedStartOptions): Promise<StackInfo> {
  const { paths } = options;
  await mkdir(paths.dir, { recursive: true });
  const logStart = await fileSize(paths.logFile);
  const logFd = openSync(paths.logFile, "a", 0o600);
  const args = [
    cliEntry(options.env),
    "dev",
    "--detach-child",
    "--port",
    String(options.port),
    "--state-dir",
    paths.dir,
  ];
  if (options.debug) args.push("--debug");
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  try {
    const child = spawn(process.execPath, args, {
      cwd: options.root,
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: options.env,
    });
    child.on("exit", (code, sig) => {
      exit = { code, signal: sig };
    });
    child.on("error", (error) => {
      spawnError = error;
    });
    child.unref();
    const pid = child.pid ?? -1;
    const spinner = options.out.spinner("Starting the local stack…");
    try {
      const deadline = Date.now() + (options.timeoutMs ?? 90_000);
      while (Date.now() < deadline) {
        if (spawnError) throw new BernsteinError("stack_failed", `could not start the stack: ${spawnError.message}`);
        if (exit || pid < 0) {
          const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? "?"}`;
          throw new BernsteinError(
            "stack_failed",
            `the local stack ${how} while starting: ${await logTail(paths.logFile, logStart)}`,
            {
              details: {
                log: paths.logFile,
                fix: `Read ${paths.logFile}, or run \`bernstein dev\` to start it in the foreground.`,
              },
            },
          );
        }
        const info = await readStackFile(paths.stackFile);
        if (info && info.pid === pid && (await isHealthy(info))) {
          spinner.stop();
          return info;
        }
        await sleep(150);
      }
      // It never became ready: take its whole process group (workerd too) down with it.
      if (isAlive(pid)) signal(-pid, "SIGKILL");
      throw new BernsteinError(
        "stack_failed",
        `the local stack did not become ready in time: ${await logTail(paths.logFile, logStart)}`,
        {
          details: { log: paths.logFile },
        },
      );
    } finally {
      spinner.stop();
    }
  } finally {
    closeSync(logFd);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
}

/** The last lines this start wrote to the log, on one line. */
async function logTail(path: string, from: number, lines = 8): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size - from, 16_384);
    const buffer = Buffer.alloc(Math.max(length, 0));
    await handle.read(buffer, 0, buffer.length, size - buffer.length);
    const text = buffer.toString("utf8").trim().split("\n").slice(-lines).join(" | ");
    return text === "" ? "(no output)" : text;
  } finally {
    await handle.close();
  }
}
