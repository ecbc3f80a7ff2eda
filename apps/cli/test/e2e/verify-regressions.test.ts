import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunView } from "@bernstein/core";
import { createFixtureRepo, type FixtureRepo, type ScriptedModel, startScriptedModel } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type Result, runBin } from "./support.js";

// Verification against the integration tree, through `bernstein run --verify` on the real
// local stack and its runner. The fixture's suite is red at the start: add is broken, mul is
// missing, sub works (`node --test`: 1 passed, 2 failed).

const KEY = "e2e-regressions-key";
const ADD = "/** Returns the sum of two numbers. */\nexport function add(a, b) {\n  return a + b;\n}\n";
const BROKEN_ADD = "/** Returns the sum of two numbers. */\nexport function add(a, b) {\n  return a - b;\n}\n";
const MUL = "/** Returns the product of two numbers. */\nexport function mul(a, b) {\n  return a * b;\n}\n";
const WRONG_MUL = "/** Returns the product of two numbers. */\nexport function mul(a, b) {\n  return a + b;\n}\n";
const SUB = "/** Returns a minus b. */\nexport function sub(a, b) {\n  return a - b;\n}\n";
const BROKEN_SUB = "/** Returns a minus b. */\nexport function sub(a, b) {\n  return b - a;\n}\n";
const POW = "/** Returns a to the power b. */\nexport function pow(a, b) {\n  return a ** b;\n}\n";
const POW_TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { pow } from "../src/pow.js";

test("pow raises to a power", () => {
  assert.equal(pow(2, 10), 1024);
});
`;
const JUNIT = "mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/junit.xml";

const write = (...files: [string, string][]) => ({
  tools: files.map(([path, content]) => ({ name: "write_file", input: { path, content } })),
});
const finish = { tools: [{ name: "finish", input: { summary: "done" } }] };

// Keys a retry's first message holds only when the feedback names the failure.
const SUB_REGRESSED = "sub subtracts two numbers (`node --test`): failed";
const MUL_SIGNAL_FAILED = "test_passes failed: `node --test test/mul.test.js`";
const SUB_REGRESSED_IN_REPORT = `test › sub subtracts two numbers (\`${JUNIT}\`): failed`;
const ADD_REGRESSED = "add sums two numbers (`node --test`): failed";

const script = {
  tasks: {
    "Fix add": [write(["src/add.js", ADD]), finish],
    "Implement mul": [write(["src/mul.js", MUL]), finish],
    "Tidy sub": [write(["src/sub.js", BROKEN_SUB]), finish],
    [SUB_REGRESSED]: [write(["src/sub.js", SUB]), finish],
    "Write mul from the spec": [write(["src/mul.js", WRONG_MUL]), finish],
    [MUL_SIGNAL_FAILED]: [write(["src/mul.js", MUL]), finish],
    "Tidy sub for the report": [write(["src/sub.js", BROKEN_SUB]), finish],
    [SUB_REGRESSED_IN_REPORT]: [write(["src/sub.js", SUB]), finish],
    "Add pow": [write(["src/pow.js", POW], ["test/pow.test.js", POW_TEST], ["src/add.js", BROKEN_ADD]), finish],
    [ADD_REGRESSED]: [write(["src/pow.js", POW], ["test/pow.test.js", POW_TEST]), finish],
  },
};

let model: ScriptedModel;
let repo: FixtureRepo;
let env: Record<string, string>;
let cache: string;
const cli = (args: string[]): Promise<Result> => runBin(args, { cwd: repo.dir, env });
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir, encoding: "utf8" }).trim();

beforeAll(async () => {
  model = await startScriptedModel(script, { apiKey: KEY });
  repo = await createFixtureRepo("red-calculator");
  cache = mkdtempSync(join(tmpdir(), "bernstein-e2e-cache-"));
  env = cleanEnv({ ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEY, XDG_CACHE_HOME: cache });
});

afterAll(async () => {
  if (repo) await cli(["dev", "stop"]);
  await model?.close();
  await repo?.cleanup();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

interface PlanTask {
  id: string;
  title: string;
  owned_files: string[];
  test?: string;
}

/** `bernstein run --plan ... --wait --json` (with `--verify "node --test"` unless `verify` is null). */
async function run(tasks: PlanTask[], verify: string | null = "node --test") {
  const plan = join(cache, `plan-${model.requests.length}.json`);
  const planned = tasks.map(({ test, ...task }) => ({
    ...task,
    description: task.title,
    completion_signals: test ? [{ type: "test_passes", value: test }] : [],
  }));
  writeFileSync(plan, JSON.stringify({ tasks: planned }));
  const result = await cli([
    "run",
    "--goal",
    tasks.map((t) => t.title).join(", "),
    "--plan",
    plan,
    ...(verify ? ["--verify", verify] : []),
    "--wait",
    "--json",
  ]);
  expect(result.stderr).not.toMatch(/^error:/m);
  return { result, run: RunView.parse(JSON.parse(result.stdout)) };
}

const requestsFor = (key: string) => model.requests.filter((r) => r.key === key);

describe("verification against the integration tree, through bernstein run --verify", () => {
  it("1. red baseline, two independent fixes: both merge on their first correct attempt and the result is green", async () => {
    const { run: view, result } = await run([
      { id: "t1", title: "Fix add", owned_files: ["src/add.js"], test: "node --test test/add.test.js" },
      { id: "t2", title: "Implement mul", owned_files: ["src/mul.js"], test: "node --test test/mul.test.js" },
    ]);
    expect(view.status).toBe("completed");
    expect(view.tasks.map((t) => [t.title, t.status, t.attempt])).toEqual([
      ["Fix add", "merged", 1],
      ["Implement mul", "merged", 1],
    ]);
    expect(view.verification).toEqual({
      base: { passed: 1, failed: 2 },
      result: { passed: 3, failed: 0 },
      fixed: ["add sums two numbers", "mul multiplies two numbers"],
      still_failing: [],
    });
    expect(result.stderr).toContain(
      "Verification: checks: base 1 passed, 2 failed -> result 3 passed, 0 failed (2 fixed)",
    );
    // The result branch passes the whole suite.
    const green = join(cache, "green");
    git("worktree", "add", "--detach", "-q", green, `bernstein/${view.id}`);
    expect(execFileSync(process.execPath, ["--test"], { cwd: green, encoding: "utf8" })).toMatch(/# fail 0/);
    const tasks = await cli(["tasks", view.id]);
    expect(tasks.stdout).toMatch(/SIGNALS/);
    expect(tasks.stdout).toContain("test: node --test test/add.test.js");
  }, 180_000);

  it("2. a change that breaks a test passing on the integration tree is rejected and retried with that test's name in the feedback", async () => {
    const { run: view } = await run([{ id: "t1", title: "Tidy sub", owned_files: ["src/sub.js"] }]);
    expect(view.status).toBe("completed");
    expect(view.tasks[0]).toMatchObject({ status: "merged", attempt: 2 });
    const [retry] = requestsFor(SUB_REGRESSED);
    expect(retry).toBeDefined();
    const feedback = JSON.stringify(retry?.body);
    expect(feedback).toContain("verify_failed");
    expect(feedback).toContain("Checks that pass on the integration tree and fail with your changes");
    // add and mul already failed on the integration tree: they are not held against the task.
    expect(feedback).not.toContain("add sums two numbers (`node --test`)");
    expect(view.verification).toMatchObject({ base: { passed: 1, failed: 2 }, result: { passed: 1, failed: 2 } });
  }, 180_000);

  it("3. a test_passes signal that fails sends the task back; it passes on the next attempt", async () => {
    const { run: view } = await run([
      { id: "t1", title: "Write mul from the spec", owned_files: ["src/mul.js"], test: "node --test test/mul.test.js" },
    ]);
    expect(view.status).toBe("completed");
    expect(view.tasks[0]).toMatchObject({ status: "merged", attempt: 2 });
    const [retry] = requestsFor(MUL_SIGNAL_FAILED);
    expect(JSON.stringify(retry?.body)).toContain("mul multiplies two numbers");
    expect(view.verification?.fixed).toEqual(["mul multiplies two numbers"]);
  }, 180_000);

  it("5. a regression inside an already-failing command is caught through its JUnit report", async () => {
    // The command exits 1 on the integration tree (add and mul fail) and on the candidate: only
    // the report, read per test case, shows that sub broke.
    writeFileSync(
      join(repo.dir, "bernstein.json"),
      JSON.stringify({ verify: { commands: [JUNIT], reports: ["reports/*.xml"] } }),
    );
    try {
      const { run: view } = await run(
        [{ id: "t1", title: "Tidy sub for the report", owned_files: ["src/sub.js"] }],
        null,
      );
      expect(view.status).toBe("completed");
      expect(view.verifyReports).toEqual(["reports/*.xml"]);
      expect(view.tasks[0]).toMatchObject({ status: "merged", attempt: 2 });
      expect(requestsFor(SUB_REGRESSED_IN_REPORT)).toHaveLength(2); // the retry's two turns
      expect(view.verification).toMatchObject({ base: { passed: 1, failed: 2 }, result: { passed: 1, failed: 2 } });
    } finally {
      rmSync(join(repo.dir, "bernstein.json"));
    }
  }, 180_000);

  it("4. a green baseline stays green: a change that breaks a passing test is sent back", async () => {
    writeFileSync(join(repo.dir, "src", "add.js"), ADD);
    writeFileSync(join(repo.dir, "src", "mul.js"), MUL);
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "green");
    const { run: view } = await run([
      {
        id: "t1",
        title: "Add pow",
        owned_files: ["src/pow.js", "test/pow.test.js"],
        test: "node --test test/pow.test.js",
      },
    ]);
    expect(view.status).toBe("completed");
    expect(view.tasks[0]).toMatchObject({ status: "merged", attempt: 2 });
    expect(requestsFor(ADD_REGRESSED).length).toBeGreaterThan(0);
    expect(view.verification).toEqual({
      base: { passed: 3, failed: 0 },
      result: { passed: 4, failed: 0 },
      fixed: [],
      still_failing: [],
    });
  }, 180_000);
});
