import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type BernsteinClient, createClient } from "@bernstein/client";
import { expect } from "vitest";
import { BIN } from "./support.js";

/** A `bernstein dev` (stack and runner) in its own process group, and a client of it. */
export interface DevProcess {
  child: ChildProcess;
  client: BernsteinClient;
  /** Kills the whole group with SIGKILL (workerd and the runner die with it) and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `bernstein dev` in `cwd` and waits until its own runner is connected (seen by the
 * stack after this start), so work started next never meets "no runner connected".
 */
export async function startDevProcess(cwd: string, env: Record<string, string>): Promise<DevProcess> {
  const startedAt = new Date().toISOString();
  const child = spawn(process.execPath, [BIN, "dev", "--port", "0"], { cwd, env, detached: true });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    await exited;
  };
  try {
    await expect.poll(() => output, { timeout: 90_000, interval: 100 }).toContain("Press Ctrl-C to stop.");
    const info = JSON.parse(readFileSync(join(cwd, ".bernstein", "stack.json"), "utf8")) as {
      url: string;
      token: string;
    };
    const client = createClient({ baseUrl: info.url, token: info.token });
    await expect
      .poll(
        async () => (await client.runnerStatus()).runners.some((r) => r.connected && (r.lastSeenAt ?? "") >= startedAt),
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    return { child, client, kill };
  } catch (error) {
    await kill();
    throw new Error(`bernstein dev did not come up with its runner: ${String(error)}\n${output.slice(-4_000)}`);
  }
}
