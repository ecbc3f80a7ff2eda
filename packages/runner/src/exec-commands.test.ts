import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { isRunning, type ProcessIdentity, stopProcess } from "@bernstein/processes";
import { afterEach, describe, expect, it } from "vitest";
import { execCommands } from "./exec-commands.js";
import { jobEnvironment } from "./job-env.js";
import { tempDir } from "./test-support/trees.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function workDir(): Promise<string> {
  const made = await tempDir("runner-exec-");
  cleanups.push(made.remove);
  return made.dir;
}

const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

/** True while a process with this pid runs (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
  // "<pid> (<comm>) <state> ...": the state follows the last ")".
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

async function waitUntil(check: () => boolean, ms = 30_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe("execCommands", () => {
  it("runs the commands in order in the job directory and passes when all exit 0", async () => {
    const cwd = await workDir();
    const result = await execCommands({
      commands: ["echo one > order.txt", "echo two >> order.txt", "pwd"],
      cwd,
      env: ENV,
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ passed: true, exitCode: 0, timedOut: false, aborted: false, failedCommand: null });
    expect(await readFile(join(cwd, "order.txt"), "utf8")).toBe("one\ntwo\n");
    expect(result.log).toContain(`$ pwd\n${cwd}\n`);
  });

  it("stops at the first failing command and reports its exit code", async () => {
    const cwd = await workDir();
    const result = await execCommands({
      commands: ["echo before", "echo broken >&2; exit 3", "touch never-ran"],
      cwd,
      env: ENV,
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({
      passed: false,
      exitCode: 3,
      timedOut: false,
      failedCommand: "echo broken >&2; exit 3",
    });
    expect(result.log).toContain("broken\n");
    expect(result.log).toContain("[runner] exit 3");
    expect(result.log).not.toContain("touch never-ran");
    await expect(readFile(join(cwd, "never-ran"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("interleaves stdout and stderr in the order they were written", async () => {
    const result = await execCommands({
      commands: ["echo out1; sleep 0.1; echo err1 >&2; sleep 0.1; echo out2"],
      cwd: await workDir(),
      env: ENV,
      timeoutMs: 10_000,
    });
    expect(result.log).toMatch(/out1\nerr1\nout2\n/);
  });

  it("kills the whole process group on timeout and marks the result timed out", async () => {
    const cwd = await workDir();
    const started = Date.now();
    const result = await execCommands({
      // A grandchild in the background and a foreground child that ignores SIGTERM.
      commands: ["sleep 60 & echo $! > bg.pid; sh -c 'trap \"\" TERM; echo $$ > fg.pid; sleep 60'"],
      cwd,
      env: ENV,
      timeoutMs: 700,
      killGraceMs: 300,
    });
    expect(result).toMatchObject({ passed: false, exitCode: null, timedOut: true, aborted: false });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.log).toContain("timed out after 0.7 s");
    for (const file of ["bg.pid", "fg.pid"]) {
      const pid = Number((await readFile(join(cwd, file), "utf8")).trim());
      expect(await waitUntil(() => !alive(pid))).toBe(true);
    }
  });

  it("shares one deadline between the commands", async () => {
    const result = await execCommands({
      // Each fits in the deadline on its own, the two together never do (however slow the machine).
      commands: ["sleep 1.5", "sleep 1.5"],
      cwd: await workDir(),
      env: ENV,
      timeoutMs: 2_000,
    });
    expect(result).toMatchObject({ timedOut: true, failedCommand: "sleep 1.5" });
  });

  it("kills processes a command left in the background when it exits", async () => {
    const cwd = await workDir();
    const result = await execCommands({
      commands: ["sleep 60 > /dev/null 2>&1 & echo $! > bg.pid"],
      cwd,
      env: ENV,
      timeoutMs: 10_000,
    });
    expect(result.passed).toBe(true);
    const pid = Number((await readFile(join(cwd, "bg.pid"), "utf8")).trim());
    expect(await waitUntil(() => !alive(pid))).toBe(true);
  });

  it("kills the running command at once when aborted", async () => {
    const cwd = await workDir();
    const controller = new AbortController();
    // Aborted once the command runs (it wrote its pid), not after a guessed delay.
    const pidFile = join(cwd, "sh.pid");
    const abortWhenRunning = waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "").then(
      () => controller.abort(new Error("lease lost")),
    );
    const result = await execCommands({
      commands: ["echo $$ > sh.pid; sleep 60", "touch never-ran"],
      cwd,
      env: ENV,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    await abortWhenRunning;
    expect(result).toMatchObject({ passed: false, aborted: true, timedOut: false, exitCode: null });
    expect(result.log).toContain("lease lost");
    const pid = Number((await readFile(pidFile, "utf8")).trim());
    expect(await waitUntil(() => !alive(pid))).toBe(true);
    await expect(readFile(join(cwd, "never-ran"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("starts a command only once it is tied to the lifeline: a runner killed before that leaves nothing running", async () => {
    const cwd = await workDir();
    const script = fileURLToPath(new URL("./test-support/killed-before-tie.ts", import.meta.url));
    const owner = spawn(process.execPath, ["--import", "tsx", script, cwd, "touch ran; exec sleep 300"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => owner.once("exit", resolve));
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: owner.stdout as NodeJS.ReadableStream }).once("line", resolve),
    );
    const command = JSON.parse(line) as ProcessIdentity;
    // Only when the case fails: the command outlived its runner.
    cleanups.push(() => stopProcess(command, { group: true, graceMs: 100 }).then(() => undefined));
    await exited;
    // Its guard never heard of it: it must end by itself, without having run.
    await expect.poll(() => isRunning(command), { timeout: 30_000, interval: 50 }).toBe(false);
    expect(existsSync(join(cwd, "ran"))).toBe(false);
  });

  it("caps the log, keeping its head and its tail", async () => {
    const result = await execCommands({
      // 200,000 numbered lines (about 1.3 MB) through a 64 KiB cap.
      commands: ["seq 1 200000"],
      cwd: await workDir(),
      env: ENV,
      timeoutMs: 20_000,
      maxLogBytes: 65_536,
    });
    expect(result.passed).toBe(true);
    expect(result.outputBytes).toBeGreaterThan(1_000_000);
    expect(result.log.length).toBeLessThan(65_536 + 200);
    expect(result.log).toMatch(/^\$ seq 1 200000\n1\n2\n3\n/);
    expect(result.log).toMatch(/\n199999\n200000\n\[runner\] exit 0 after/);
    expect(result.log).toMatch(/\[\.\.\. \d+ bytes cut: the log keeps its first 32768 and last 32768 bytes \.\.\.\]/);
  });

  it("gives commands an allowlisted environment: PATH, HOME, LANG, TERM, CI=true and the names passed", async () => {
    const env = jobEnvironment(
      {
        ...ENV,
        HOME: "/home/someone",
        LANG: "C.UTF-8",
        KEEP_ME: "kept",
        NOT_NAMED: "dropped",
        PWD: "/the/runners/repo",
        ANTHROPIC_API_KEY: "sk-ant-secret",
        OPENAI_API_KEY: "sk-openai-secret",
        GITHUB_TOKEN: "gh-secret",
        CLOUDFLARE_API_TOKEN: "cf-secret",
        AWS_SECRET_ACCESS_KEY: "aws-secret",
        BERNSTEIN_TOKEN: "bern-secret",
        CI: "false",
      },
      ["KEEP_ME"],
    );
    const result = await execCommands({ commands: ["env"], cwd: await workDir(), env, timeoutMs: 10_000 });
    expect(result.log).toContain("KEEP_ME=kept\n");
    expect(result.log).toContain("HOME=/home/someone\n");
    expect(result.log).toContain("LANG=C.UTF-8\n");
    expect(result.log).toContain("CI=true\n");
    expect(result.log).not.toMatch(
      /NOT_NAMED|the\/runners\/repo|ANTHROPIC_|OPENAI_|GITHUB_|CLOUDFLARE_|AWS_|BERNSTEIN_|secret/,
    );
  });
});
