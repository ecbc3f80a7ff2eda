import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BernsteinError } from "@bernstein/core";
import { closedPort } from "@bernstein/testing";
import { afterEach, describe, expect, it } from "vitest";
import { defineCommand } from "../src/commands/define.js";
import { COMMANDS } from "../src/commands/index.js";
import { InterruptError } from "../src/interrupt.js";
import { makeRepo } from "./support/git-repo.js";
import { runInProcess } from "./support/run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bernstein-cli-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function repo() {
  const r = makeRepo({ "a.txt": "a\n" });
  cleanups.push(r.cleanup);
  return r;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
const ANSI = /\u001b\[/;

describe("help", () => {
  it("lists every command with examples and exits 0", async () => {
    const result = await runInProcess(["--help"], { cwd: tempDir() });
    expect(result.code).toBe(0);
    for (const word of ["dev", "run", "pull", "tasks", "cloud", "demo", "Examples:", "Exit codes"]) {
      expect(result.stdout).toContain(word);
    }
  });

  // Every command of the registry, so a new one cannot ship without help and examples.
  it.each(COMMANDS.map((command) => [...command.path]))(
    "`%s --help` shows its options and examples",
    async (...path) => {
      const result = await runInProcess([...path, "--help"], { cwd: tempDir() });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: bernstein /);
      expect(result.stdout).toContain("Examples:");
      expect(result.stdout).toContain("$ bernstein ");
    },
  );

  it("documents the run options of the contract", async () => {
    const { stdout } = await runInProcess(["run", "--help"], { cwd: tempDir() });
    for (const flag of [
      "--goal",
      "--plan",
      "--budget",
      "--max-agents",
      "--model",
      "--verify",
      "--dirty",
      "--wait",
      "--json",
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it("prints the version", async () => {
    const result = await runInProcess(["--version"], { cwd: tempDir() });
    expect(result).toMatchObject({ code: 0, stdout: "0.1.0\n" });
  });
});

describe("usage errors exit 2 with one error line and a fix", () => {
  it.each([
    [["run", "--goal", "x", "--bogus"], "unknown option '--bogus'"],
    [["run"], "required option '--goal <text>' not specified"],
    [["dev", "--port", "http"], "--port"],
    [["run", "--goal", "x", "--budget", "-3"], "--budget"],
    [["run", "--goal", "x", "--model", "gpt"], "provider/model"],
    [["run", "--goal", "x", "--max-agents", "0"], "--max-agents"],
    [["frobnicate"], "unknown command 'frobnicate'"],
    [["pull"], "missing required argument 'run'"],
    [["tasks", "r_1", "extra"], "too many arguments"],
  ])("%j", async (argv, fragment) => {
    const result = await runInProcess(argv, { cwd: tempDir() });
    expect(result.code).toBe(2);
    const [first, second] = result.stderr.split("\n");
    expect(first).toMatch(/^error: usage: /);
    expect(first).toContain(fragment);
    expect(second).toMatch(/--help/);
    expect(result.stdout).toBe("");
  });

  it("exits 2 when no command is given", async () => {
    const result = await runInProcess([], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: bernstein");
  });
});

describe("errors", () => {
  it("outside a git repo: not_a_git_repo, exit 1, a fix, no stack trace", async () => {
    const result = await runInProcess(["tasks"], { cwd: tempDir() });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: not_a_git_repo: .+ is not inside a git work tree$/);
    expect(lines[1]).toMatch(/git init/);
    expect(lines).toHaveLength(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("shows the stack trace with --debug", async () => {
    const result = await runInProcess(["tasks", "--debug"], { cwd: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it("names the URL when the stack is unreachable, without the token", async () => {
    const port = await closedPort();
    const r = repo();
    const result = await runInProcess(["cloud", "status", "--json"], {
      cwd: r.dir,
      env: { BERNSTEIN_URL: `http://127.0.0.1:${port}`, BERNSTEIN_TOKEN: "secret-token-value" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^error: stack_unreachable: cannot reach the Bernstein stack at http://127.0.0.1:${port} `),
    );
    expect(result.stderr).not.toContain("secret-token-value");
    expect(result.stdout).toBe("");
  });

  it("maps a bug to exit 70 and a failed operation to exit 1", async () => {
    const throwing = (error: unknown) =>
      defineCommand<Record<string, never>>({
        path: ["boom"],
        description: "throws",
        options: [],
        examples: [],
        async handler() {
          throw error;
        },
      });
    const bug = await runInProcess(["boom"], { cwd: tempDir(), commands: [throwing(new TypeError("x is undefined"))] });
    expect(bug.code).toBe(70);
    expect(bug.stderr).toMatch(/^error: internal: x is undefined\n {2}This is a bug/);
    const failed = await runInProcess(["boom"], {
      cwd: tempDir(),
      commands: [throwing(new BernsteinError("run_failed", "run r_x ended failed\nwith details"))],
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr.split("\n")[0]).toBe("error: run_failed: run r_x ended failed with details");
  });

  it("exits 130 on Ctrl-C after the command winds down", async () => {
    const controller = new AbortController();
    let woundDown = false;
    let started = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const waiting = defineCommand<Record<string, never>>({
      path: ["wait"],
      description: "waits for Ctrl-C",
      options: [],
      examples: [],
      async handler(_args, _options, { io }) {
        started();
        await new Promise((resolve) => io.signal.addEventListener("abort", resolve, { once: true }));
        woundDown = true;
        return 0;
      },
    });
    const running = runInProcess(["wait"], { cwd: tempDir(), signal: controller.signal, commands: [waiting] });
    await handlerStarted;
    controller.abort(new InterruptError("SIGINT"));
    const result = await running;
    expect(result.code).toBe(130);
    expect(woundDown).toBe(true);
  });
});

describe("colour", () => {
  const failing = defineCommand<Record<string, never>>({
    path: ["fail"],
    description: "fails",
    options: [],
    examples: [],
    async handler() {
      throw new BernsteinError("conflict", "taken");
    },
  });

  it("colours errors on a terminal", async () => {
    const result = await runInProcess(["fail"], { cwd: tempDir(), tty: true, commands: [failing] });
    expect(result.stderr).toMatch(ANSI);
  });

  it("never colours with NO_COLOR set, nor when not a terminal", async () => {
    const noColor = await runInProcess(["fail"], {
      cwd: tempDir(),
      tty: true,
      env: { NO_COLOR: "1" },
      commands: [failing],
    });
    expect(noColor.stderr).not.toMatch(ANSI);
    expect(noColor.stderr.split("\n")[0]).toBe("error: conflict: taken");
    const piped = await runInProcess(["fail"], { cwd: tempDir(), commands: [failing] });
    expect(piped.stderr).not.toMatch(ANSI);
  });
});

describe("dev stop", () => {
  it("says so when nothing runs, and keeps .bernstein/ out of git", async () => {
    const r = repo();
    const result = await runInProcess(["dev", "stop"], { cwd: r.dir });
    expect(result).toMatchObject({ code: 0, stdout: "No local stack is running for this repo.\n" });
    expect(readFileSync(join(r.dir, ".git", "info", "exclude"), "utf8").split("\n")).toContain(".bernstein/");
    expect(r.git("status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it("cleans up a stack.json whose process is gone", async () => {
    const r = repo();
    const stackFile = join(r.dir, ".bernstein", "stack.json");
    await runInProcess(["dev", "stop"], { cwd: r.dir });
    const info = {
      url: "http://127.0.0.1:1",
      pid: 2 ** 22 + 7,
      token: "t",
      port: 1,
      stateDir: "x",
      startedAt: "now",
      version: "0",
    };
    writeFileSync(stackFile, JSON.stringify(info));
    const result = await runInProcess(["dev", "stop", "--json"], { cwd: r.dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ stopped: false, pid: info.pid, url: info.url, leftovers: [] });
    expect(existsSync(stackFile)).toBe(false);
  });
});

describe("the registry", () => {
  it("holds the contract's commands, each once and with examples", () => {
    const paths = COMMANDS.map((c) => c.path.join(" "));
    for (const path of ["dev", "dev stop", "run", "pull", "tasks", "cloud status", "cost", "demo"]) {
      expect(paths).toContain(path);
    }
    expect(new Set(paths).size).toBe(paths.length);
    for (const command of COMMANDS) expect(command.examples.length, command.path.join(" ")).toBeGreaterThan(0);
  });

  it("offers --json on every command that prints data", () => {
    const textOnly = new Set(["logs"]); // prints the raw verify log
    for (const command of COMMANDS) {
      const name = command.path.join(" ");
      if (textOnly.has(name)) continue;
      expect(
        command.options.some((o) => o.flags.startsWith("--json")),
        name,
      ).toBe(true);
    }
  });
});
