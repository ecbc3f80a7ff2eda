import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunView } from "@bernstein/core";
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
import { testBranch } from "../../src/demo/check-branch.js";
import { cleanEnv, type Result, runBin } from "./support.js";

const KEY = "e2e-verify-key";
let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
const cli = (args: string[]): Promise<Result> => runBin(args, { cwd: repo.dir, env });
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir, encoding: "utf8" }).trim();

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript(), { apiKey: KEY });
  repo = await createFixtureRepo("calculator");
  // The project's verify commands live in bernstein.json, committed like any other file.
  writeFileSync(join(repo.dir, "bernstein.json"), `${JSON.stringify({ verify: { commands: ["node --test"] } })}\n`);
  git("add", "bernstein.json");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "verify with node --test");
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY });
});

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
});

describe("runs verified by the runner that the local stack starts", () => {
  it("verifies every task with bernstein.json's commands before it merges", async () => {
    const result = await cli(["run", "--goal", CALCULATOR_GOAL, "--wait", "--json"]);
    expect(result.code).toBe(0);
    const run = RunView.parse(JSON.parse(result.stdout));
    expect(run.status).toBe("completed");
    expect(run.verifyCommands).toEqual(["node --test"]);
    const logs = await cli(["logs", run.tasks[0]?.id ?? ""]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/# pass \d+/);
    // The merged result passes the verify commands when checked out.
    expect((await testBranch(repo.dir, `bernstein/${run.id}`, new AbortController().signal)).passed).toBe(true);
  }, 120_000);

  it("holds tasks for approval with --approve-all until `bernstein approve`", async () => {
    const planFile = join(repo.dir, "..", "approve-plan.json");
    writeFileSync(planFile, JSON.stringify({ tasks: CALCULATOR_PLAN.tasks.slice(0, 1) }));
    const started = await cli(["run", "--goal", "multiply only", "--plan", planFile, "--approve-all", "--json"]);
    expect(started.code).toBe(0);
    const runId = RunView.parse(JSON.parse(started.stdout)).id;
    let taskId = "";
    for (let i = 0; i < 200 && !taskId; i++) {
      const tasks = JSON.parse((await cli(["tasks", runId, "--json"])).stdout) as {
        tasks: { id: string; status: string }[];
      };
      taskId = tasks.tasks.find((t) => t.status === "pending_approval")?.id ?? "";
      if (!taskId) await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(taskId).not.toBe("");
    const approved = await cli(["approve", taskId]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^Approved t_\w+ \(Add multiply\): now /);
    let status = "";
    for (let i = 0; i < 200 && status !== "completed"; i++) {
      status = (JSON.parse((await cli(["cloud", "status", runId, "--json"])).stdout) as { status: string }).status;
      if (status !== "completed") await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(status).toBe("completed");
    const again = await cli(["reject", taskId, "--reason", "too late"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: illegal_transition: /);
  }, 120_000);
});
