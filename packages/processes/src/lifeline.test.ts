import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { childrenOf, processesIn } from "./find.js";
import { identityOf, isRunning, stopProcess } from "./identity.js";
import { readLedger, stopLeftovers, writeLedger } from "./ledger.js";
import { parseProcStat } from "./proc-stat.js";

const dir = mkdtempSync(join(tmpdir(), "processes-"));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.pid) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A shell that ignores SIGTERM (as an orphaned workerd does) and sleeps, in its own group;
 * resolved once the trap is set (a SIGTERM before that would end it).
 */
async function stubborn(): Promise<ChildProcess> {
  const child = spawn("/bin/sh", ["-c", "trap '' TERM; echo ready; sleep 300 & wait"], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  started.push(child);
  await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve),
  );
  return child;
}

describe("process identity", () => {
  it("reads /proc/<pid>/stat, names with spaces and parentheses included", () => {
    const line = "42 (a (b) c) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 98765 0 0";
    expect(parseProcStat(line)).toMatchObject({
      pid: 42,
      comm: "a (b) c",
      state: "S",
      ppid: 1,
      pgrp: 42,
      startTime: 98765,
    });
  });

  it("tells a reused pid from the process it was", () => {
    const me = identityOf(process.pid);
    expect(me).toBeDefined();
    expect(isRunning(me as { pid: number; startTime: number })).toBe(true);
    expect(isRunning({ pid: process.pid, startTime: (me?.startTime ?? 0) + 1 })).toBe(false);
  });

  it("stops a process that ignores SIGTERM with SIGKILL after the grace period", async () => {
    const child = await stubborn();
    const id = identityOf(child.pid as number);
    expect(id).toBeDefined();
    expect(await stopProcess(id as { pid: number; startTime: number }, { group: true, graceMs: 300 })).toBe("killed");
    expect(isRunning(id as { pid: number; startTime: number })).toBe(false);
  });
});

describe("a ledger", () => {
  it("stops what a dead owner left running, and leaves a living owner's processes alone", async () => {
    const child = await stubborn();
    const id = identityOf(child.pid as number) as { pid: number; startTime: number };
    const path = join(dir, "runtime.json");
    const me = identityOf(process.pid) as { pid: number; startTime: number };
    writeLedger(path, { owner: me, processes: [{ ...id, role: "workerd", group: true }] });
    expect(await stopLeftovers(path, 300)).toEqual({ kind: "owner_running", owner: me });
    expect(isRunning(id)).toBe(true);
    // The same pid with another start time: an owner that is gone.
    writeLedger(path, {
      owner: { ...me, startTime: me.startTime + 1 },
      processes: [{ ...id, role: "workerd", group: true }],
    });
    const outcome = await stopLeftovers(path, 300);
    expect(outcome).toMatchObject({ kind: "stopped", stopped: [{ pid: id.pid, role: "workerd" }] });
    expect(isRunning(id)).toBe(false);
    expect(readLedger(path)).toBeUndefined();
  });
});

describe("the lifeline", () => {
  it("kills the watched process group when its owner is killed with SIGKILL", async () => {
    const script = fileURLToPath(new URL("./test-support/lifeline-owner.ts", import.meta.url));
    const ledger = join(dir, "owner-ledger.json");
    const owner = spawn(process.execPath, ["--import", "tsx", script, ledger], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(owner);
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: owner.stdout as NodeJS.ReadableStream }).once("line", resolve),
    );
    const { pid, startTime } = JSON.parse(line) as { pid: number; startTime: number };
    expect(isRunning({ pid, startTime })).toBe(true);
    expect(JSON.parse(readFileSync(ledger, "utf8"))).toMatchObject({
      owner: { pid: owner.pid },
      processes: [{ pid, role: "command", group: true }],
    });
    owner.kill("SIGKILL");
    // The command ignores SIGTERM: the guard's SIGKILL ends it after its grace period.
    await expect.poll(() => isRunning({ pid, startTime }), { timeout: 30_000, interval: 50 }).toBe(false);
  });

  it("ends its guard without killing anything when closed", async () => {
    const script = fileURLToPath(new URL("./test-support/lifeline-owner.ts", import.meta.url));
    const owner = spawn(process.execPath, ["--import", "tsx", script, join(dir, "closing.json"), "close"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(owner);
    const exited = new Promise<number | null>((resolve) => owner.once("exit", resolve));
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: owner.stdout as NodeJS.ReadableStream }).once("line", resolve),
    );
    const { pid, startTime } = JSON.parse(line) as { pid: number; startTime: number };
    expect(await exited).toBe(0);
    expect(isRunning({ pid, startTime })).toBe(true);
    await stopProcess({ pid, startTime }, { group: true, graceMs: 100 });
  });
});

describe("finding processes", () => {
  it("finds the children of a process by name, and the processes working in a directory", async () => {
    const work = mkdtempSync(join(dir, "cwd-"));
    const child = spawn("/bin/sh", ["-c", "exec sleep 300"], { cwd: work, detached: true, stdio: "ignore" });
    started.push(child);
    const id = identityOf(child.pid as number) as { pid: number; startTime: number };
    await expect.poll(() => childrenOf(process.pid, "sleep"), { timeout: 10_000, interval: 20 }).toContainEqual(id);
    expect(processesIn(work)).toEqual([id]);
    expect(processesIn(`${work}-other`)).toEqual([]);
    await stopProcess(id, { graceMs: 100 });
    expect(processesIn(work)).toEqual([]);
  });
});
