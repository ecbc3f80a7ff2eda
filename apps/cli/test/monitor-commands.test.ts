import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, loadRunState } from "@bernstein/client";
import { formatUsd, type RunFigures, RunState, RunView, validatePlan } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  CALCULATOR_TASKS,
  calculatorScript,
  createFixtureRepo,
  type FixtureRepo,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../src/io.js";
import { createColors } from "../src/output/colors.js";
import { runCli } from "../src/program.js";
import { figuresLine } from "../src/run/run-state-text.js";
import { runInProcess } from "./support/run-cli.js";

// `cloud status`, `cost` and `run --wait` off a terminal, run in process against the real local
// stack (BERNSTEIN_URL), the scripted model standing in for the model API.
const KEY = "sk-ant-test-cli-monitor-0123";
const TOKEN = "test-token-cli-monitor";
let model: ScriptedModel;
let stack: LocalStack;
let repo: FixtureRepo;
let env: Record<string, string>;
let runId: string;
let scratch: string;
let noRuns: { code: number; stdout: string };

const cli = (...argv: string[]) => runInProcess(argv, { cwd: repo.dir, env });

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript({ delayMs: 60 }), { apiKey: KEY });
  stack = await startLocalStack({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    token: TOKEN,
    auditKey: "d".repeat(64),
    env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  repo = await createFixtureRepo("calculator");
  scratch = mkdtempSync(join(tmpdir(), "bernstein-cli-plan-"));
  writeFileSync(planFile(), JSON.stringify(CALCULATOR_PLAN));
  env = { BERNSTEIN_URL: stack.url, BERNSTEIN_TOKEN: TOKEN, NO_COLOR: "1" };
  noRuns = await cli("tasks", "--json");
  const started = await cli("run", "--goal", CALCULATOR_GOAL, "--plan", planFile(), "--wait", "--json");
  expect(started.code, started.stderr).toBe(0);
  runId = RunView.parse(JSON.parse(started.stdout)).id;
});

afterAll(async () => {
  await stack?.stop();
  await model?.close();
  await repo?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The calculator plan as a `--plan` file (outside the repo, so the snapshot stays clean). */
function planFile(): string {
  return join(scratch, "plan.json");
}

describe("cloud status off a terminal", () => {
  it("--json prints the reduced state: a RunView with the same figures every view shows", async () => {
    const result = await cli("cloud", "status", runId, "--json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as RunState & { figures: RunFigures };
    expect(RunView.parse(json)).toMatchObject({ id: runId, status: "completed" });
    const state = RunState.parse(json);
    expect(state.tasks.map((t) => [t.title, t.status, t.attempts.length])).toEqual([
      [CALCULATOR_TASKS.multiply, "merged", 1],
      [CALCULATOR_TASKS.divide, "merged", 1],
      [CALCULATOR_TASKS.docs, "merged", 1],
    ]);
    expect(json.figures).toMatchObject({ total: 3, merged: 3, running: 0, spentUsd: state.spentUsd });
    const direct = await loadRunState(createClient({ baseUrl: stack.url, token: TOKEN }), runId);
    expect(state).toEqual(direct);
  });

  it("prints the figures line and a table of the tasks by title", async () => {
    const [plain, json] = await Promise.all([cli("cloud", "status", runId), cli("cloud", "status", runId, "--json")]);
    expect(plain.code).toBe(0);
    const state = RunState.parse(JSON.parse(json.stdout));
    const finished = Date.parse(state.finishedAt ?? "");
    expect(plain.stdout.split("\n")[0]).toBe(figuresLine(state, finished, createColors(false)));
    expect(plain.stdout).toMatch(/3\/3 merged/);
    for (const title of Object.values(CALCULATOR_TASKS)) expect(plain.stdout).toMatch(new RegExp(`merged .*${title}`));
  });

  it("says no runner is connected while the run's verifications wait for one (this stack has none)", async () => {
    const client = createClient({ baseUrl: stack.url, token: TOKEN });
    const base = await client.getRun(runId);
    const waiting = await client.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base.baseSnapshot,
      plan: validatePlan(CALCULATOR_PLAN),
      verifyCommands: ["true"],
    });
    await expect
      .poll(async () => (await cli("cloud", "status", waiting.id)).stdout, { timeout: 120_000, interval: 500 })
      .toMatch(/⚠ no runner connected: \d+ verifications? waiting; start one with `bernstein runner`/);
    const json = JSON.parse((await cli("cloud", "status", waiting.id, "--json")).stdout) as {
      runners: { connected: number; commands: number; verifications: number };
    };
    expect(json.runners).toMatchObject({ connected: 0, commands: 0 });
    expect(json.runners.verifications).toBeGreaterThan(0);
    await client.cancelRun(waiting.id);
    // An ended run waits for nothing: no line.
    expect((await cli("cloud", "status", waiting.id)).stdout).not.toContain("no runner connected");
  });

  it("--watch says no runner is connected while verifications wait for one, and ends with the run", async () => {
    const client = createClient({ baseUrl: stack.url, token: TOKEN });
    const base = await client.getRun(runId);
    const waiting = await client.createRun({
      goal: CALCULATOR_GOAL,
      baseSnapshot: base.baseSnapshot,
      plan: validatePlan(CALCULATOR_PLAN),
      verifyCommands: ["true"],
    });
    // The real program with an io whose output can be read while the watch runs.
    let stdout = "";
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      cwd: repo.dir,
      signal: new AbortController().signal,
    };
    const watching = runCli(["cloud", "status", waiting.id, "--watch"], io);
    await expect
      .poll(() => stdout, { timeout: 120_000, interval: 200 })
      .toMatch(/^⚠ no runner connected: \d+ verifications? waiting; start one with `bernstein runner`/m);
    await client.cancelRun(waiting.id);
    expect(await watching).toBe(0);
    const notices = stdout.split("\n").filter((l) => l.includes("no runner connected"));
    // Printed when it appears or changes, not again while it stays the same.
    expect(notices.every((line, i) => i === 0 || line !== notices[i - 1])).toBe(true);
    expect(stdout).toMatch(/run cancelled\n\n/);
  });

  it("--watch prints one line per event until the run ends, then the table", async () => {
    const result = await cli("cloud", "status", runId, "--watch");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.some((l) => /^\[\d\d:\d\d:\d\d\] Add multiply: claimed -> in_progress$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /\] Add divide: \$0\.\d{2,6} \(anthropic\/claude-sonnet-4-5, \d+ in \/ \d+ out\)$/.test(l)),
    ).toBe(true);
    expect(lines.filter((l) => l.endsWith("] run completed"))).toHaveLength(1);
    expect(result.stdout).toMatch(/run completed\n\n.*3\/3 merged/);
  });

  it("--watch --json prints one JSON line per event with the figures after it", async () => {
    const result = await cli("cloud", "status", runId, "--watch", "--json");
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; text: string; figures: RunFigures });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ text: "run completed", figures: { merged: 3, total: 3 } });
  });

  it("follows a live run with --watch", async () => {
    const started = await cli("run", "--goal", CALCULATOR_GOAL, "--plan", planFile(), "--json");
    const live = RunView.parse(JSON.parse(started.stdout));
    expect(live.status).toBe("running");
    const result = await cli("cloud", "status", live.id, "--watch");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Document multiply and divide in the README: done -> merged/);
    expect(result.stdout).toMatch(/3\/3 merged/);
  });
});

describe("run --wait off a terminal", () => {
  it("printed progress lines from the same reducer", async () => {
    const result = await cli("run", "--goal", CALCULATOR_GOAL, "--plan", planFile(), "--wait");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Run r_\w+ started; following it/);
    expect(result.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] run r_\w+ created: /m);
    expect(result.stdout).toMatch(/\] Add multiply: done -> merged$/m);
    expect(result.stdout).toMatch(/\] run completed$/m);
    expect(result.stdout).not.toMatch(/\$0\.\d{2,6} \(anthropic/); // cost chatter stays out of progress
    expect(result.stdout).toMatch(/Run r_\w+ completed: branch bernstein\/r_\w+/);
  }, 60_000);
});

describe("cost", () => {
  it("reports one run by task, role and model, and the same numbers as JSON", async () => {
    const [plain, json, status] = await Promise.all([
      cli("cost", runId),
      cli("cost", runId, "--json"),
      cli("cloud", "status", runId, "--json"),
    ]);
    expect(plain.code).toBe(0);
    const report = JSON.parse(json.stdout) as { runId: string; totalUsd: number; byTask: Record<string, number> };
    const state = RunState.parse(JSON.parse(status.stdout));
    expect(report.runId).toBe(runId);
    expect(report.totalUsd).toBeCloseTo(state.spentUsd, 6);
    for (const task of state.tasks) {
      expect(report.byTask[task.id]).toBeCloseTo(task.costUsd, 6);
      expect(plain.stdout).toMatch(
        new RegExp(
          `${task.planId}\\s+${task.id}\\s+${task.role}\\s+${escapeRegExp(formatUsd(task.costUsd))}\\s+\\d+(\\s+[\\d,]+){4}\\s+\\d+\\.\\d s\\s+${task.title}`,
        ),
      );
    }
    expect(plain.stdout).toContain(`${runId}: ${formatUsd(state.spentUsd)} in `);
    expect(plain.stdout).toMatch(/ROLE\s+COST\s+IN.*\nbackend\s+\$\d\.\d{2,6}\s.*\ndocs\s+\$\d\.\d{2,6}\s/);
    expect(plain.stdout).toMatch(/MODEL\s+COST\s+IN.*\nanthropic\/claude-sonnet-4-5\s+\$/);
  });

  it("reports every run of the stack", async () => {
    const result = await cli("cost");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\$\d+\.\d{2,6} over \d+ runs/);
    expect(result.stdout).toMatch(
      new RegExp(
        `${runId}\\s+completed\\s+\\$\\d\\.\\d{2,6}(\\s+[\\d,]+){4}\\s+\\d+\\.\\d s\\s+${CALCULATOR_GOAL.slice(0, 20)}`,
      ),
    );
  });

  it("fails with not_found and a fix for an unknown run", async () => {
    const result = await cli("cost", "r_000000000000");
    expect(result.code).toBe(1);
    // A wait may have said what it waited for first (off a terminal, after a second).
    expect(result.stderr).toMatch(/^error: not_found: no run r_000000000000\n {2}.+/m);
  });
});

describe("task control and pull on a finished run", () => {
  it("`tasks --json` on a stack with no runs prints []", () => {
    expect(noRuns.code).toBe(0);
    expect(JSON.parse(noRuns.stdout)).toEqual([]);
  });

  it("`cancel` of a completed run is an error that changes nothing", async () => {
    const result = await cli("cancel", runId);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^error: illegal_transition: run ${runId} has already ended \\(completed\\)`),
    );
    expect(RunView.parse(JSON.parse((await cli("cloud", "status", runId, "--json")).stdout)).status).toBe("completed");
  });

  it("a second `pull` of the same run is a no-op success", async () => {
    const first = await cli("pull", runId, "--json");
    expect(first.code, first.stderr).toBe(0);
    const again = await cli("pull", runId);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already holds this result");
    const json = await cli("pull", runId, "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ upToDate: true, head: JSON.parse(first.stdout).head });
  });

  it("`logs --json` prints the task's log as JSON", async () => {
    const tasks = (JSON.parse((await cli("tasks", runId, "--json")).stdout) as { tasks: { id: string }[] }).tasks;
    const result = await cli("logs", tasks[0]?.id as string, "--follow", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ taskId: tasks[0]?.id, attempt: 1, log: null });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
