import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@bernstein/client";
import { isTerminalRunStatus, type RunView } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InterruptError } from "../src/interrupt.js";
import { runInProcess } from "./support/run-cli.js";

const KEY = "sk-ant-runner-cli-test";
const BUNDLES = {
  orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
  agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
};

let model: ScriptedModel;
let scratch: string;
let planFile: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  scratch = mkdtempSync(join(tmpdir(), "bernstein-runner-cli-"));
  planFile = join(scratch, "plan.json");
  writeFileSync(planFile, JSON.stringify(CALCULATOR_PLAN));
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await model?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function fixture(): Promise<FixtureRepo> {
  const repo = await createFixtureRepo("calculator");
  cleanups.push(repo.cleanup);
  return repo;
}

async function waitForRun(url: string, token: string, runId: string): Promise<RunView> {
  const client = createClient({ baseUrl: url, token });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = await client.getRun(runId);
    if (isTerminalRunStatus(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Each test's own workspace root (XDG_CACHE_HOME), so its first verify job starts a new workspace.
const modelEnv = () => ({
  ANTHROPIC_API_KEY: KEY,
  ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
  NO_COLOR: "1",
  XDG_CACHE_HOME: join(scratch, `cache-${++caches}`),
});
let caches = 0;

describe("bernstein runner", () => {
  it("documents its options", async () => {
    const { code, stdout } = await runInProcess(["runner", "--help"], { cwd: scratch });
    expect(code).toBe(0);
    for (const flag of ["--url", "--token", "--labels", "--concurrency", "--json"]) expect(stdout).toContain(flag);
  });

  it("refuses --url without a runner token, and a repo without a stack", async () => {
    const repo = await fixture();
    const noToken = await runInProcess(["runner", "--url", "http://127.0.0.1:9"], { cwd: repo.dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^error: usage: --url needs a runner token/);
    const noStack = await runInProcess(["runner"], { cwd: repo.dir });
    expect(noStack.code).toBe(1);
    expect(noStack.stderr).toMatch(/^error: stack_unreachable: no local stack is running/);
    expect(noStack.stderr).toContain("bernstein dev");
  });

  it("registers with the stack, verifies every task of a run from git archive of its base commit, and stops on Ctrl-C", async () => {
    const repo = await fixture();
    const stack: LocalStack = await startLocalStack({
      bundles: BUNDLES,
      token: "runner-cli-api-token",
      auditKey: "d".repeat(64),
      env: modelEnv(),
    });
    cleanups.push(() => stack.stop());
    const env = { BERNSTEIN_URL: stack.url, BERNSTEIN_TOKEN: stack.token, ...modelEnv() };
    const started = await runInProcess(
      ["run", "--goal", CALCULATOR_GOAL, "--plan", planFile, "--verify", "npm test", "--json"],
      { cwd: repo.dir, env },
    );
    expect(started.code).toBe(0);
    const runId = (JSON.parse(started.stdout) as { id: string }).id;

    const controller = new AbortController();
    const runner = runInProcess(["runner", "--json", "--debug"], { cwd: repo.dir, env, signal: controller.signal });
    const final = await waitForRun(stack.url, stack.token, runId);
    controller.abort(new InterruptError("SIGINT"));
    const { code, stdout, stderr } = await runner;

    expect(final.status).toBe("completed");
    expect(code).toBe(130);
    expect(stderr).toMatch(/Runner \S+ \(\S+\) is waiting for jobs from http:\/\/127\.0\.0\.1:\d+ \(1 job at a time\)/);
    const events = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Three candidates and the baseline of the base snapshot.
    const finished = events.filter((e) => e.event === "finished");
    expect(finished).toHaveLength(4);
    for (const e of finished) expect(e).toMatchObject({ runId, passed: true, exitCode: 0 });
    // The runner sits in the repo that holds the run's base commit: its new workspace starts
    // from git archive of it, and the later jobs sync that warm workspace.
    const materialised = events.filter((e) => e.event === "materialised");
    expect(materialised.map((e) => e.source)).toEqual(["git", "warm", "warm", "warm"]);
    expect(materialised[0]?.kept).toBeGreaterThan(0);
    // Nothing of the runner's token or the API token is printed.
    expect(`${stdout}${stderr}`).not.toMatch(/bst_runner_|runner-cli-api-token/);
  }, 120_000);

  it("runs under `bernstein dev`: the stack starts with a runner that verifies runs, and stops with it", async () => {
    const repo = await fixture();
    // `dev` looks for orchestrator.js and agent.js in one folder: link both bundles there.
    const dir = mkdtempSync(join(scratch, "bundles-"));
    symlinkSync(BUNDLES.orchestrator, join(dir, "orchestrator.js"));
    symlinkSync(BUNDLES.agent, join(dir, "agent.js"));
    const env = { BERNSTEIN_WORKERS_DIR: dir, ...modelEnv() };
    const controller = new AbortController();
    const dev = runInProcess(["dev", "--port", "0", "--state-dir", join(scratch, "dev-state")], {
      cwd: repo.dir,
      env,
      signal: controller.signal,
    });
    const stackFile = join(scratch, "dev-state", "stack.json");
    const info = await waitForFile(stackFile);
    const started = await runInProcess(
      ["run", "--goal", CALCULATOR_GOAL, "--plan", planFile, "--verify", "npm test", "--json"],
      { cwd: repo.dir, env: { BERNSTEIN_URL: info.url, BERNSTEIN_TOKEN: info.token, ...modelEnv() } },
    );
    expect(started.code).toBe(0);
    const final = await waitForRun(info.url, info.token, (JSON.parse(started.stdout) as { id: string }).id);
    controller.abort(new InterruptError("SIGINT"));
    const result = await dev;
    expect(final.status).toBe("completed");
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/Runner: dev is running verify jobs/);
    expect(result.stderr.match(/runner: ✓ job \S+ passed in/g)).toHaveLength(4);
  }, 120_000);
});

async function waitForFile(path: string): Promise<{ url: string; token: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await readFile(path, "utf8").catch((error: unknown) => {
      if ((error as { code?: unknown }).code === "ENOENT" && Date.now() < deadline) return undefined;
      throw error;
    });
    if (text !== undefined) return JSON.parse(text) as { url: string; token: string };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
