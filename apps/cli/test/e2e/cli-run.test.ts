import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunView } from "@bernstein/core";
import {
  CALCULATOR_GOAL,
  CALCULATOR_TASKS,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBranch } from "../../src/demo/check-branch.js";
import { onTerminal } from "../support/terminal.js";
import { BIN, cleanEnv, type Result, runBin } from "./support.js";

const KEY = "e2e-scripted-key";

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;

function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return runBin(args, { cwd: options.cwd ?? repo.dir, env: options.env ?? env });
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir, encoding: "utf8" }).trim();
const workState = () => ({
  status: git("status", "--porcelain=v1", "--untracked-files=all"),
  head: git("rev-parse", "HEAD"),
});

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
});

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
});

describe("bernstein on a real local stack", () => {
  let runId = "";

  it("runs a goal to completion with --wait --json and writes the result branch", async () => {
    const before = workState();
    const result = await cli(["run", "--goal", CALCULATOR_GOAL, "--wait", "--json"]);
    expect(result.stderr).toContain("Started the local stack");
    expect(result.code).toBe(0);
    const run = RunView.parse(JSON.parse(result.stdout));
    runId = run.id;
    expect(run.status).toBe("completed");
    expect(run.tasks.map((t) => t.title).sort()).toEqual(Object.values(CALCULATOR_TASKS).sort());
    expect(run.tasks.every((t) => t.status === "merged")).toBe(true);
    // Progress went to stderr, the one JSON document to stdout.
    expect(result.stderr).toMatch(/Add multiply: .*merged/);

    expect(workState()).toEqual(before);
    const branch = `bernstein/${runId}`;
    expect(git("rev-parse", `${branch}~3`)).toBe(before.head);
    expect(git("log", "--format=%s", `${branch}`, `^${before.head}`).split("\n").sort()).toEqual(
      Object.values(CALCULATOR_TASKS).sort(),
    );
    expect(git("log", "-1", "--format=%b", branch)).not.toBe("");
    const report = await testBranch(repo.dir, branch, new AbortController().signal);
    expect(report.passed).toBe(true);
  }, 120_000);

  it("keeps the stack's description private and the state dir out of git", () => {
    const stackFile = join(repo.dir, ".bernstein", "stack.json");
    expect(statSync(stackFile).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(stackFile, "utf8")) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual([
      "models",
      "pid",
      "port",
      "startTime",
      "startedAt",
      "stateDir",
      "token",
      "url",
      "version",
    ]);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(stackFile, "utf8")).not.toContain(KEY);
    const log = readFileSync(join(repo.dir, ".bernstein", "stack.log"), "utf8");
    expect(log).not.toContain(KEY);
    expect(log).not.toContain(String(info.token));
    expect(readFileSync(join(repo.dir, ".git", "info", "exclude"), "utf8").split("\n")).toContain(".bernstein/");
  });

  it("never writes a model key into the state dir, whatever the file", () => {
    const files = listFiles(join(repo.dir, ".bernstein"));
    expect(files.length).toBeGreaterThan(5); // D1, R2, DO and workflow state are in there
    for (const file of files) expect(readFileSync(file).includes(KEY), file).toBe(false);
  });

  it("reports the run with cloud status and tasks", async () => {
    const status = await cli(["cloud", "status", runId, "--json"]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: runId, status: "completed" });
    const newest = await cli(["cloud", "status"]);
    expect(newest.stdout).toContain(runId);
    expect(newest.stdout).toContain("completed");
    const tasks = await cli(["tasks", "--json"]);
    expect((JSON.parse(tasks.stdout) as { tasks: unknown[] }).tasks).toHaveLength(3);
    const table = await cli(["tasks", runId]);
    expect(table.stdout).toMatch(/^TASK\s+PLAN\s+STATUS/);
  }, 60_000);

  it("leaves a branch that holds the result as it is, refuses one that holds something else", async () => {
    const head = git("rev-parse", `bernstein/${runId}`);
    const again = await cli(["pull", runId]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already holds this result");
    expect(git("rev-parse", `bernstein/${runId}`)).toBe(head);
    git("branch", "calc/other", "HEAD");
    const clash = await cli(["pull", runId, "--branch", "calc/other"]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/^error: conflict: branch calc\/other already exists/m); // after "Writing the result…", maybe
    const copy = await cli(["pull", runId, "--branch", "calc/copy"]);
    expect(copy.code).toBe(0);
    expect(git("rev-parse", "calc/copy^{tree}")).toBe(git("rev-parse", `bernstein/${runId}^{tree}`));
  }, 60_000);

  it("starts from uncommitted changes with --dirty, uploading only what changed", async () => {
    await appendFile(join(repo.dir, "src", "add.js"), "// local note\n");
    writeFileSync(join(repo.dir, "NOTES.md"), "work in progress\n");
    const before = workState();
    const result = await cli(["run", "--goal", CALCULATOR_GOAL, "--dirty", "--wait", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/2 new blobs uploaded \(2 uncommitted\)/);
    const run = RunView.parse(JSON.parse(result.stdout));
    const branch = `bernstein/${run.id}`;
    expect(workState()).toEqual(before);
    const first = `${branch}~3`;
    expect(git("log", "-1", "--format=%s", first)).toBe(`Uncommitted changes at the start of ${run.id}`);
    expect(git("rev-parse", `${first}~1`)).toBe(before.head);
    expect(git("show", `${first}:NOTES.md`)).toBe("work in progress");
    expect(git("show", `${branch}:src/add.js`)).toContain("// local note");
  }, 120_000);

  it("pauses at half the run's cost: run --wait exits 3 saying how to go on, budget --add completes it", async () => {
    const first = RunView.parse(JSON.parse((await cli(["cloud", "status", runId, "--json"])).stdout));
    const budget = Math.round(first.spentUsd * 0.5 * 1e6) / 1e6;
    const result = await cli(["run", "--goal", CALCULATOR_GOAL, "--budget", String(budget), "--wait"]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).not.toMatch(/^error:/m);
    const paused = /Run (r_\w+) paused: spent (\$[\d.]+) of its (\$[\d.]+) budget\./.exec(result.stdout);
    expect(paused?.[3]).toBe(`$${budget}`);
    const id = paused?.[1] as string;
    expect(result.stdout).toMatch(/unfinished tasks? need about \$[\d.]+ more .* a turn, this run's mean/);
    expect(result.stdout).toContain(`Continue it: bernstein budget ${id} --add `);
    // The parked task says why it waits.
    expect((await cli(["tasks", id])).stdout).toContain("waiting: budget");
    const more = await cli(["budget", id, "--add", "1"]);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stdout).toMatch(/now running/);
    for (;;) {
      const view = RunView.parse(JSON.parse((await cli(["cloud", "status", id, "--json"])).stdout));
      expect(view.status).not.toBe("failed");
      if (view.status === "completed") break;
    }
  }, 180_000);

  it("on a terminal, run --wait at a budget pause offers to add budget, then follows the run to its end", async () => {
    const first = RunView.parse(JSON.parse((await cli(["cloud", "status", runId, "--json"])).stdout));
    const budget = Math.round(first.spentUsd * 0.5 * 1e6) / 1e6;
    const term = onTerminal(["run", "--goal", CALCULATOR_GOAL, "--budget", String(budget), "--wait"], {
      cwd: repo.dir,
      env,
    });
    await term.waitFor("Add to the budget and go on? USD");
    // The estimate comes from the run's cost report: the monitor that followed the run counted nothing.
    expect(term.screen()).toMatch(/unfinished tasks? need about \$[\d.]+ more/);
    term.type("1\r");
    await term.waitFor("; following it again.");
    expect(await term.exited, term.screen()).toBe(0);
    const id = /Run (r_\w+) paused: spent/.exec(term.screen())?.[1] as string;
    expect(id).toBeDefined();
    const view = RunView.parse(JSON.parse((await cli(["cloud", "status", id, "--json"])).stdout));
    expect(view).toMatchObject({ status: "completed", budgetUsd: Math.round((budget + 1) * 1e6) / 1e6 });
  }, 180_000);

  it("stops the stack and everything it started", async () => {
    const info = JSON.parse(readFileSync(join(repo.dir, ".bernstein", "stack.json"), "utf8")) as { pid: number };
    const stop = await cli(["dev", "stop"]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^Stopped the local stack/);
    expect(() => process.kill(info.pid, 0)).toThrow();
    // The detached stack led its own process group (workerd included): nothing of it is left.
    expect(() => process.kill(-info.pid, 0)).toThrow();
  }, 60_000);
});

describe("bernstein run with the OpenAI-compatible provider", () => {
  it("runs the same goal through Chat Completions and writes the same branch", async () => {
    const openai = await startScriptedModel(calculatorScript(), { apiKey: KEY });
    const fixture = await createFixtureRepo("calculator");
    const openaiEnv = cleanEnv({
      BERNSTEIN_MODEL: "openai/gpt-5",
      OPENAI_BASE_URL: openai.openaiBaseUrl,
      OPENAI_API_KEY: KEY,
    });
    try {
      const result = await cli(["run", "--goal", CALCULATOR_GOAL, "--wait", "--json"], {
        cwd: fixture.dir,
        env: openaiEnv,
      });
      expect(result.code).toBe(0);
      const run = RunView.parse(JSON.parse(result.stdout));
      expect(run).toMatchObject({ status: "completed", model: "openai/gpt-5", plannerModel: "openai/gpt-5" });
      const branch = `bernstein/${run.id}`;
      const fixtureGit = (...args: string[]) =>
        execFileSync("git", args, { cwd: fixture.dir, encoding: "utf8" }).trim();
      expect(fixtureGit("rev-list", "--count", `${fixture.head}..${branch}`)).toBe("3");
      expect((await testBranch(fixture.dir, branch, new AbortController().signal)).passed).toBe(true);
      expect(openai.requests.length).toBeGreaterThan(9);
      expect(new Set(openai.requests.map((r) => r.provider))).toEqual(new Set(["openai"]));
      expect(openai.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await cli(["dev", "stop"], { cwd: fixture.dir, env: openaiEnv });
      await openai.close();
      await fixture.cleanup();
    }
  }, 120_000);
});

describe("bernstein demo", () => {
  it("says it uses the scripted model, then ends with a branch whose tests pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bernstein-demo-e2e-"));
    try {
      const result = await cli(["demo", "--dir", join(dir, "calc")], { cwd: dir, env: cleanEnv({}) });
      expect(result.stdout.split("\n")[0]).toBe(
        "No ANTHROPIC_API_KEY or OPENAI_API_KEY set: using the scripted model (no network, no cost).",
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Tests pass on branch bernstein\/r_\w+/);
      // The demo's stack lived only as long as the demo.
      expect(() => statSync(join(dir, "calc", ".bernstein", "stack.json"))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("bernstein dev", () => {
  it("runs in the foreground until Ctrl-C, then disposes the stack and removes stack.json", async () => {
    const fixture = await createFixtureRepo("calculator");
    try {
      const { spawn } = await import("node:child_process");
      const child = spawn(process.execPath, [BIN, "dev", "--port", "0"], { cwd: fixture.dir, env: cleanEnv({}) });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await until(() => stdout.includes("Press Ctrl-C to stop."));
      const stackFile = join(fixture.dir, ".bernstein", "stack.json");
      const info = JSON.parse(readFileSync(stackFile, "utf8")) as { url: string; token: string; pid: number };
      expect(info.pid).toBe(child.pid);
      expect(stdout).toContain(`Local stack ready at ${info.url}`);
      expect(stdout).toContain(`Token: ${info.token}`);
      expect((await fetch(`${info.url}/healthz`)).ok).toBe(true);
      // The stack's own processes (workerd) are children of the dev process.
      const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" })
        .split("\n")
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
      expect(children.length).toBeGreaterThan(0);

      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(() => statSync(stackFile)).toThrow();
      for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
      await expect(fetch(`${info.url}/healthz`)).rejects.toThrow();
    } finally {
      await fixture.cleanup();
    }
  }, 60_000);

  it("--detach starts once, reports an existing stack the second time, and dev stop ends it", async () => {
    const fixture = await createFixtureRepo("calculator");
    try {
      const first = await cli(["dev", "--port", "0", "--detach", "--json"], { cwd: fixture.dir, env: cleanEnv({}) });
      expect(first.code).toBe(0);
      const started = JSON.parse(first.stdout) as { url: string; pid: number; alreadyRunning: boolean };
      expect(started.alreadyRunning).toBe(false);
      const second = await cli(["dev", "--detach", "--json"], { cwd: fixture.dir, env: cleanEnv({}) });
      expect(JSON.parse(second.stdout)).toMatchObject({ pid: started.pid, alreadyRunning: true });
      const foreground = await cli(["dev"], { cwd: fixture.dir, env: cleanEnv({}) });
      expect(foreground.code).toBe(1);
      expect(foreground.stderr).toMatch(/^error: conflict: a stack is already running/);
      const stop = await cli(["dev", "stop", "--json"], { cwd: fixture.dir, env: cleanEnv({}) });
      expect(JSON.parse(stop.stdout)).toMatchObject({ stopped: true, pid: started.pid });
      expect(() => process.kill(-started.pid, 0)).toThrow();
    } finally {
      await fixture.cleanup();
    }
  }, 180_000);
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("Ctrl-C while following a run", () => {
  it("exits 130 and leaves the run going in the detached stack", async () => {
    const slow = await startScriptedModel(calculatorScript(), { apiKey: KEY });
    const release = slow.hold((r) => r.key !== "plan"); // planned, then held: still going at the Ctrl-C
    const fixture = await createFixtureRepo("calculator");
    const slowEnv = cleanEnv({ ANTHROPIC_BASE_URL: slow.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
    try {
      const { spawn } = await import("node:child_process");
      const child = spawn(process.execPath, [BIN, "run", "--goal", CALCULATOR_GOAL, "--wait"], {
        cwd: fixture.dir,
        env: slowEnv,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await until(() => /claimed -> in_progress/.test(stdout));
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      release();
      const runId = /Run (r_\w+) started/.exec(stderr)?.[1] as string;
      expect(stderr).toContain(`follow it with \`bernstein cloud status ${runId}\``);
      let status = "";
      await untilAsync(async () => {
        const view = await cli(["cloud", "status", runId, "--json"], { cwd: fixture.dir, env: slowEnv });
        status = (JSON.parse(view.stdout) as { status: string }).status;
        return status === "completed";
      });
      expect(status).toBe("completed");
    } finally {
      await cli(["dev", "stop"], { cwd: fixture.dir, env: slowEnv });
      await slow.close();
      await fixture.cleanup();
    }
  }, 90_000);
});

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
