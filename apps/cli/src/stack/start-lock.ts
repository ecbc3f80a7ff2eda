import { open, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { BernsteinError } from "@bernstein/core";
import type { Spinner } from "../output/spinner.js";
import { isAlive } from "./process.js";
import { isNotFound } from "./stack-file.js";

/**
 * Runs `fn` holding `<state-dir>/stack.lock` (created exclusively, holding our pid), so two
 * commands started together never start two stacks. A lock whose holder died is taken over.
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
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    }
    const holder = await lockHolder(lockFile);
    if (holder !== undefined && !isAlive(holder)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new BernsteinError(
        "stack_failed",
        `another bernstein (pid ${holder ?? "?"}) has been starting the stack for too long`,
        {
          details: { fix: `If no bernstein command is running, delete ${lockFile} and retry.` },
        },
      );
    }
    spinner ??= options.waiting?.(`Waiting for another bernstein (pid ${holder ?? "?"}) to start the stack…`);
    await sleep(200);
  }
  spinner?.stop();
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function lockHolder(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(lockFile, "utf8")).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
