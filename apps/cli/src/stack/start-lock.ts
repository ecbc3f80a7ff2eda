import { open, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { BernsteinError } from "@bernstein/core";
import { isRunning, type ProcessIdentity } from "@bernstein/processes";
import type { Spinner } from "../output/spinner.js";
import { thisProcess } from "./leftovers.js";
import { isNotFound } from "./stack-file.js";

/**
 * Runs `fn` holding `<state-dir>/stack.lock` (created exclusively, holding our pid and start
 * time), so two commands started together never start two stacks. A lock whose holder died is
 * taken over (a pid reused by another process since is not taken for the holder).
 */
export async function withStartLock<T>(
  lockFile: string,
  fn: () => Promise<T>,
  options: { waiting?: (text: string) => Spinner; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let spinner: Spinner | undefined;
  while (true) {
    try {
      const handle = await open(lockFile, "wx", 0o600);
      const me = thisProcess();
      await handle.writeFile(`${me.pid} ${me.startTime ?? "-"}`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    }
    const holder = await lockHolder(lockFile);
    if (holder !== undefined && !isRunning(holder)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new BernsteinError(
        "stack_failed",
        `another bernstein (pid ${holder?.pid ?? "?"}) has been starting the stack for too long`,
        {
          details: { fix: `If no bernstein command is running, delete ${lockFile} and retry.` },
        },
      );
    }
    spinner ??= options.waiting?.(`Waiting for another bernstein (pid ${holder?.pid ?? "?"}) to start the stack…`);
    await sleep(200);
  }
  spinner?.stop();
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/** Who holds the lock: `pid startTime` (a lock of an older version holds the pid alone). */
async function lockHolder(lockFile: string): Promise<ProcessIdentity | undefined> {
  try {
    const [pidText, startText] = (await readFile(lockFile, "utf8")).trim().split(" ");
    const pid = Number(pidText);
    const startTime = startText === undefined || startText === "-" ? null : Number(startText);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, startTime: Number.isFinite(startTime) ? startTime : null };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
