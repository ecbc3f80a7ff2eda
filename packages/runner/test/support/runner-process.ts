import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A runner in its own process (runner-child.ts), to be killed as a real runner would be. */
export interface RunnerProcess {
  process: ChildProcess;
  /** Resolves with the first event of `type` the runner printed (or prints later). */
  next(type: string): Promise<{ jobId?: string }>;
}

/**
 * Starts runner-child.ts against `url` with its cache, workspaces and the pid file of the
 * commands it runs at the paths given (the test fixture's commands append their pid there).
 */
export function spawnRunnerProcess(options: {
  url: string;
  token: string;
  cacheDir: string;
  workDir: string;
  pidFile: string;
}): RunnerProcess {
  const script = fileURLToPath(new URL("./runner-child.ts", import.meta.url));
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RUNNER_CHILD_URL: options.url,
      BERNSTEIN_RUNNER_TOKEN: options.token,
      RUNNER_CHILD_CACHE: options.cacheDir,
      RUNNER_CHILD_WORK: options.workDir,
      RUNNER_TEST_PIDS: options.pidFile,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const seen: { type: string; jobId?: string }[] = [];
  const waiters: { type: string; resolve(e: { jobId?: string }): void }[] = [];
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    const event = JSON.parse(line) as { type: string; jobId?: string };
    seen.push(event);
    for (const waiter of waiters.filter((w) => w.type === event.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    process: proc,
    next: (type) =>
      new Promise((resolve) => {
        const already = seen.find((e) => e.type === type);
        if (already) resolve(already);
        else waiters.push({ type, resolve });
      }),
  };
}
