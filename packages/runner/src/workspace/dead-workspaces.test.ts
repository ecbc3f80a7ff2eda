import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { identityOf, isRunning, type ProcessIdentity, stopProcess } from "@bernstein/processes";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../test-support/trees.js";
import { removeDeadWorkspaces } from "./dead-workspaces.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A workspace `<root>/repo/<index>` with a tree, locked by `owner` (none: released). */
async function workspace(root: string, index: number, owner?: string): Promise<string> {
  const dir = join(root, "repo", String(index));
  await mkdir(join(dir, "tree"), { recursive: true });
  if (owner !== undefined) await writeFile(join(dir, "lock"), owner);
  return dir;
}

describe("the workspaces of dead runners", () => {
  it("are removed with what still runs in them; living runners' and released ones stay", async () => {
    const scratch = await tempDir("dead-workspaces-");
    cleanups.push(scratch.remove);
    const me = identityOf(process.pid) as ProcessIdentity;
    // This pid with another start time: the process that held it is gone (the pid was reused).
    const dead = await workspace(scratch.dir, 0, `${me.pid} ${(me.startTime ?? 0) + 1}\n`);
    const living = await workspace(scratch.dir, 1, `${me.pid} ${me.startTime}\n`);
    const released = await workspace(scratch.dir, 2);
    // A command the dead runner's guard did not stop, still running in its tree.
    // One process (no shell that may or may not have forked its sleep yet when the sweep looks).
    const child = spawn("sleep", ["300"], { cwd: join(dead, "tree"), detached: true, stdio: "ignore" });
    const left = identityOf(child.pid as number) as ProcessIdentity;
    cleanups.push(() => stopProcess(left, { group: true, graceMs: 100 }));

    const removed = await removeDeadWorkspaces(scratch.dir);
    expect(removed).toEqual([
      { dir: dead, owner: { pid: me.pid, startTime: (me.startTime ?? 0) + 1 }, stopped: [left] },
    ]);
    expect(isRunning(left)).toBe(false);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(join(living, "lock"))).toBe(true);
    expect(existsSync(join(released, "tree"))).toBe(true);
    expect(await removeDeadWorkspaces(scratch.dir)).toEqual([]);
  });

  it("removes what a sweep killed midway left half removed, and nothing else of the key", async () => {
    const scratch = await tempDir("dead-workspaces-");
    cleanups.push(scratch.remove);
    const released = await workspace(scratch.dir, 0);
    const half = join(scratch.dir, "repo", ".removing-1-0badc0de");
    await mkdir(join(half, "tree/node_modules/dep"), { recursive: true });
    await writeFile(join(half, "tree/node_modules/dep/index.js"), "left\n");

    expect(await removeDeadWorkspaces(scratch.dir)).toEqual([]);
    expect(existsSync(half)).toBe(false);
    expect(existsSync(join(released, "tree"))).toBe(true);
  });

  it("finds nothing in a root that does not exist yet", async () => {
    expect(await removeDeadWorkspaces("/nonexistent/bernstein-workspaces")).toEqual([]);
  });
});
