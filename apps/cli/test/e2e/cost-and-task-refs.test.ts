import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CostReport, formatUsd, RunView, type Task } from "@bernstein/core";
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
import { budgetText, tokenCells, tokensText } from "../../src/output/cost-text.js";
import { cleanEnv, type Result, runBin } from "./support.js";

// One run of the calculator goal on the real local stack (the scripted model standing in for the
// model API), then `cost` and the task commands read it, naming tasks by their plan ids.
const KEY = "e2e-cost-refs-key";
const BUDGET = 5;

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let run: RunView;
let tasks: Task[];

function cli(...args: string[]): Promise<Result> {
  return runBin(args, { cwd: repo.dir, env });
}

function taskOf(planId: string): Task {
  const task = tasks.find((t) => t.planId === planId);
  if (!task) throw new Error(`no task ${planId} in ${JSON.stringify(tasks)}`);
  return task;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A table row of these cells, in this order, columns apart. */
const row = (...cells: string[]) => new RegExp(`^${cells.map(escapeRegExp).join("\\s{2,}")}\\b`, "m");

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  // Verified tasks have a verify log for `logs` and runner time for `cost`.
  writeFileSync(join(repo.dir, "bernstein.json"), `${JSON.stringify({ verify: { commands: ["node --test"] } })}\n`);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir });
  git("add", "bernstein.json");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "verify with node --test");
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
  const started = await cli("run", "--goal", CALCULATOR_GOAL, "--budget", String(BUDGET), "--wait", "--json");
  expect(started.code, started.stderr).toBe(0);
  run = RunView.parse(JSON.parse(started.stdout));
  expect(run.status).toBe("completed");
  const listed = await cli("tasks", "--json");
  expect(listed.code, listed.stderr).toBe(0);
  tasks = (JSON.parse(listed.stdout) as { tasks: Task[] }).tasks;
}, 180_000);

afterAll(async () => {
  if (repo) await cli("dev", "stop");
  await model?.close();
  await repo?.cleanup();
});

describe("cost of one run", () => {
  let report: CostReport & { runId: string };

  beforeAll(async () => {
    const json = await cli("cost", run.id, "--json");
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { runId: string };
    report = { ...CostReport.parse(parsed), runId: parsed.runId };
  }, 60_000);

  it("--json names every task by title and plan id, with its tokens and attempts", () => {
    expect(report.runId).toBe(run.id);
    expect(report.tasks.map((t) => [t.planId, t.title]).sort()).toEqual([
      ["t1", CALCULATOR_TASKS.multiply],
      ["t2", CALCULATOR_TASKS.divide],
      ["t3", CALCULATOR_TASKS.docs],
    ]);
    for (const task of report.tasks) {
      expect(task.id).toBe(taskOf(task.planId).id);
      expect(task.runId).toBe(run.id);
      expect(task.tokens.in).toBeGreaterThan(0);
      expect(task.tokens.out).toBeGreaterThan(0);
      expect(task.runnerSeconds).toBeGreaterThan(0);
      expect(report.tokensBy.task[task.id]).toEqual(task.tokens);
      expect(task.attempts.map((a) => a.n)).toEqual([1]);
      expect(task.attempts[0]?.tokens).toEqual(task.tokens);
      expect(task.usd).toBeCloseTo(report.byTask[task.id] ?? -1, 6);
    }
  });

  it("--json sums tokens by run, role and model to the same totals", () => {
    const sum = (by: Record<string, { in: number; out: number; cacheRead: number; cacheWrite: number }>) =>
      Object.values(by).reduce(
        (a, t) => ({
          in: a.in + t.in,
          out: a.out + t.out,
          cacheRead: a.cacheRead + t.cacheRead,
          cacheWrite: a.cacheWrite + t.cacheWrite,
        }),
        { in: 0, out: 0, cacheRead: 0, cacheWrite: 0 },
      );
    expect(report.tokens.in).toBeGreaterThan(0);
    expect(report.tokensBy.run[run.id]).toEqual(report.tokens);
    expect(sum(report.tokensBy.role)).toEqual(report.tokens);
    expect(sum(report.tokensBy.model)).toEqual(report.tokens);
    expect(Object.keys(report.tokensBy.role).sort()).toEqual(["backend", "docs", "planner"]);
    // Planning plus one call per agent turn.
    expect(report.calls).toBeGreaterThan(report.tasks.length);
  });

  it("--json gives the share of the budget and the burn rate of the last 5 minutes", async () => {
    const status = RunView.parse(JSON.parse((await cli("cloud", "status", run.id, "--json")).stdout));
    expect(report.totalUsd).toBeCloseTo(status.spentUsd, 6);
    expect(report.budget).toEqual({
      budgetUsd: BUDGET,
      spentUsd: report.budget?.spentUsd,
      share: Math.round((status.spentUsd / BUDGET) * 1e4) / 1e4,
    });
    expect(report.budget?.spentUsd).toBeCloseTo(status.spentUsd, 6);
    expect(report.burn?.windowSeconds).toBe(300);
    expect(report.burn?.usdPerMinute).toBeGreaterThanOrEqual(0);
  });

  it("as text shows the totals, the budget share, the burn rate, and tokens by task, attempt, role and model", async () => {
    const text = await cli("cost", run.id);
    expect(text.code, text.stderr).toBe(0);
    const out = text.stdout;
    expect(out).toContain(`${run.id}: ${formatUsd(report.totalUsd)} in ${report.calls} model calls`);
    expect(out).toContain(`tokens:  ${tokensText(report.tokens)}`);
    expect(out).toContain(`budget:  ${budgetText(report.budget ?? { budgetUsd: 0, spentUsd: 0, share: 0 })}`);
    expect(out).toMatch(/budget: .* of \$5\.00 \(\d+\.\d%\)/);
    // The burn rate changes as the window slides: only its form is fixed.
    expect(out).toMatch(/^burn: {4}\$\d+\.\d{2,6}\/min over the last 5 min \(\$\d+\.\d{2,6}\)$/m);
    expect(out).toMatch(/^TASK\s+ID\s+ROLE\s+COST\s+CALLS\s+IN\s+OUT\s+CACHE READ\s+CACHE WRITE\s+RUNNER\s+TITLE$/m);
    for (const task of report.tasks) {
      expect(out).toMatch(
        row(task.planId, task.id, task.role, formatUsd(task.usd), String(task.calls), ...tokenCells(task.tokens)),
      );
      expect(out).toMatch(new RegExp(`^${task.planId}\\s.*\\d+\\.\\d s\\s+${escapeRegExp(task.title)}$`, "m"));
      const attempt = task.attempts[0];
      expect(out).toMatch(row(task.planId, "#1", formatUsd(attempt?.usd ?? -1), String(attempt?.calls))); // the attempt table
    }
    for (const [role, tokens] of Object.entries(report.tokensBy.role)) {
      expect(out).toMatch(row(role, formatUsd(report.byRole[role] ?? -1), ...tokenCells(tokens)));
    }
    for (const [name, tokens] of Object.entries(report.tokensBy.model)) {
      expect(out).toMatch(row(name, formatUsd(report.byModel[name] ?? -1), ...tokenCells(tokens)));
    }
  }, 60_000);

  it("of every run counts this one with its tokens", async () => {
    const [text, json] = await Promise.all([cli("cost"), cli("cost", "--json")]);
    expect(text.code, text.stderr).toBe(0);
    const all = CostReport.parse(JSON.parse(json.stdout));
    expect(Object.keys(all.byRun)).toEqual([run.id]);
    expect(all.tokens).toEqual(report.tokens);
    expect(all.budget).toBeNull();
    expect(text.stdout).toMatch(/^\$\d+\.\d{2,6} over 1 run in \d+ model calls/);
    expect(text.stdout).toMatch(
      row(run.id, "completed", formatUsd(all.byRun[run.id] ?? -1), ...tokenCells(report.tokens)),
    );
  }, 60_000);
});

describe("plan ids as task arguments", () => {
  it("logs t1 prints the same log as logs with the task id, in the newest run or --run", async () => {
    const t1 = taskOf("t1");
    const [byId, byPlanId, inRun] = await Promise.all([
      cli("logs", t1.id, "--json"),
      cli("logs", "t1", "--json"),
      cli("logs", "t1", "--run", run.id, "--json"),
    ]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({
      taskId: t1.id,
      attempt: 1,
      log: expect.stringMatching(/# pass \d+/),
    });
    expect(byPlanId.code, byPlanId.stderr).toBe(0);
    expect(byPlanId.stdout).toBe(byId.stdout);
    expect(inRun.stdout).toBe(byId.stdout);
  }, 60_000);

  it("an unknown plan id fails with task_not_found, the run's plan ids and how to list them", async () => {
    const result = await cli("logs", "t99");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`^error: task_not_found: run ${run.id} has no task t99 \\(its plan ids: t1, t2, t3\\)$`, "m"),
    );
    expect(result.stderr).toMatch(new RegExp(`^ {2}.*\`bernstein tasks ${run.id}\` lists`, "m"));
  }, 60_000);

  it("retry, approve, reject and cancel reach the task a plan id names", async () => {
    // Every task is merged: each action is refused for the task itself, not for its name.
    const results = await Promise.all([
      cli("retry", "t1"),
      cli("approve", "t2", "--run", run.id),
      cli("reject", "t3", "--reason", "no"),
      cli("cancel", "t1"),
    ]);
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain("task_not_found");
      expect(result.stderr).toMatch(/^error: (illegal_transition|conflict): /);
    }
    expect(results[1]?.stderr).toContain(`task ${taskOf("t2").id} is merged`);
    const unknown = await cli("cancel", "t99");
    expect(unknown.stderr).toMatch(/^error: task_not_found: /);
  }, 60_000);
});
