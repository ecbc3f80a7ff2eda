import { join } from "node:path";
import { createRedactor, type Manifest, type Redactor, type VerifyJob } from "@bernstein/core";
import { afterEach, describe, expect, it } from "vitest";
import { createBlobCache } from "../blob-cache.js";
import { jobEnvironment, secretValues } from "../job-env.js";
import { blobStore, type FileSpec, tempDir } from "../test-support/trees.js";
import { openWorkspace, type WarmWorkspace } from "../workspace/warm-workspace.js";
import { verifyTree } from "./verify-tree.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ADD_TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { add } from "../src/add.js";
test("add adds", () => assert.equal(add(2, 3), 5));
test("add is commutative", () => assert.equal(add(3, 2), add(2, 3)));
`;

/** A workspace synced to `files`, and a job over it (commands get `runtime`'s environment, as a runner gives it). */
async function prepare(
  files: Record<string, FileSpec>,
  job: Partial<VerifyJob> = {},
  runtime: { env: Record<string, string>; redact: Redactor } = {
    env: jobEnvironment(process.env),
    redact: createRedactor(),
  },
) {
  const made = await tempDir();
  cleanups.push(made.remove);
  const store = blobStore();
  const cache = createBlobCache(join(made.dir, "blobs"), store.fetchBlob);
  const open = async () => {
    const ws = await openWorkspace({ root: join(made.dir, "ws"), key: "git:test", slot: 0 });
    cleanups.push(() => ws.release());
    return ws;
  };
  const syncTo = async (ws: WarmWorkspace, next: Record<string, FileSpec>) => {
    const tree = store.tree(next);
    await ws.sync({ manifest: tree.manifest, manifestSha: tree.sha256, cache });
    return tree;
  };
  const ws = await open();
  const tree = await syncTo(ws, files);
  const fullJob = (manifest: { sha256: string }, over: Partial<VerifyJob> = {}): VerifyJob => ({
    id: "j_1",
    runId: "r_000000000001",
    kind: "candidate",
    taskId: "t_000000000001",
    attempt: 1,
    manifest: manifest.sha256,
    baseCommit: null,
    workspace: "git:test",
    commands: [],
    setup: [],
    setupInputs: null,
    reports: [],
    signals: [],
    timeoutSeconds: 60,
    leaseSeconds: 30,
    leaseExpiresAt: new Date().toISOString(),
    ...job,
    ...over,
  });
  const verify = (w: WarmWorkspace, t: { manifest: Manifest; sha256: string }, over: Partial<VerifyJob> = {}) =>
    verifyTree({
      job: fullJob(t, over),
      manifest: t.manifest,
      workspace: w,
      env: runtime.env,
      redact: runtime.redact,
      signal: new AbortController().signal,
    });
  return { ws, tree, open, syncTo, verify };
}

const CALC = {
  "package.json": { content: '{"type":"module"}' },
  "src/add.js": { content: "export const add = (a, b) => a + b;\n" },
  "test/add.test.js": { content: ADD_TEST },
};

describe("verifyTree", () => {
  it("runs every command even after one fails, reading TAP tests from stdout; a command without tests is its own check", async () => {
    const { ws, tree, verify } = await prepare(CALC, { commands: ["exit 3", "node --test", "true"] });
    const { result, log, failedCommand } = await verify(ws, tree);
    expect(result.passed).toBe(false);
    expect(failedCommand).toBe("exit 3");
    expect(result.commands?.map((c) => [c.command, c.exitCode, c.tests])).toEqual([
      ["exit 3", 3, 0],
      ["node --test", 0, 2],
      ["true", 0, 0],
    ]);
    expect(result.checks?.map((c) => [c.id, c.status])).toEqual([
      ["$ exit 3", "failed"],
      ["node --test :: add adds", "passed"],
      ["node --test :: add is commutative", "passed"],
      ["$ true", "passed"],
    ]);
    expect(log).toContain("$ node --test");
  });

  it("runs setup once per workspace until its inputs change, and keeps what it installed", async () => {
    const setup = ["echo installing; mkdir -p node_modules/dep && date +%s%N > node_modules/dep/stamp"];
    const { ws, tree, syncTo, verify } = await prepare(CALC, { commands: ["test -f node_modules/dep/stamp"], setup });
    const first = await verify(ws, tree);
    expect(first.result).toMatchObject({ passed: true, setup: { ran: true } });
    const sourceOnly = await syncTo(ws, {
      ...CALC,
      "src/add.js": { content: "export const add = (a, b) => b + a;\n" },
    });
    const second = await verify(ws, sourceOnly);
    expect(second.result).toMatchObject({ passed: true, setup: { ran: false } });
    expect(second.log).toContain("setup skipped");
    const newDeps = await syncTo(ws, { ...CALC, "package.json": { content: '{"type":"module","dependencies":{}}' } });
    expect((await verify(ws, newDeps)).result).toMatchObject({ setup: { ran: true } });
  });

  it("gives setup and verify commands in the warm workspace only the allowlist and verify.env, and redacts what they print", async () => {
    const secrets = {
      GITHUB_TOKEN: "ghp_verifyTreeSecretValue0123456789abcdef",
      AWS_SECRET_ACCESS_KEY: "aws-secret-for-the-verify-tree-test-0123",
      PROJECT_API_KEY: "project-key-named-in-verify-env-0123456",
    };
    const runnerEnv = { ...process.env, ...secrets, UNRELATED_SETTING: "not-passed" };
    const runtime = {
      env: jobEnvironment(runnerEnv, ["PROJECT_API_KEY"]),
      redact: createRedactor(secretValues(runnerEnv)),
    };
    const { ws, tree, verify } = await prepare(
      CALC,
      {
        setup: ["env; echo setup-sees=$PROJECT_API_KEY; echo $GITHUB_TOKEN; exit 1"],
        commands: ["env"],
      },
      runtime,
    );
    const failed = await verify(ws, tree);
    expect(failed.result.setupFailure?.phase).toBe("setup");
    // The named variable reaches the command (its value redacted); nothing else secret does.
    expect(failed.log).toContain("setup-sees=[REDACTED]");
    expect(failed.result.setupFailure?.message).toContain("setup-sees=[REDACTED]");

    const { ws: ws2, tree: tree2, verify: verify2 } = await prepare(CALC, { commands: ["env"] }, runtime);
    const passed = await verify2(ws2, tree2);
    expect(passed.result.passed).toBe(true);
    expect(passed.log).toMatch(/^CI=true$/m);
    expect(passed.log).toMatch(/^PROJECT_API_KEY=\[REDACTED\]$/m);
    for (const text of [failed.log, passed.log, JSON.stringify(failed.result), JSON.stringify(passed.result)]) {
      for (const value of [...Object.values(secrets), "not-passed"]) expect(text).not.toContain(value);
      expect(text).not.toMatch(/GITHUB_TOKEN=|AWS_SECRET_ACCESS_KEY=|UNRELATED_SETTING=/);
    }
  });

  it("reports a failing setup as a setup failure without running the commands, and runs it again next time", async () => {
    const { ws, tree, verify } = await prepare(CALC, {
      commands: ["node --test"],
      setup: ["echo no lockfile >&2; exit 1"],
    });
    const { result, failedCommand } = await verify(ws, tree);
    expect(result).toMatchObject({
      passed: false,
      exitCode: 1,
      setupFailure: { phase: "setup", command: "echo no lockfile >&2; exit 1", exitCode: 1 },
    });
    expect(result.setupFailure?.message).toContain("no lockfile");
    expect(result.commands).toBeUndefined();
    expect(failedCommand).toBe("echo no lockfile >&2; exit 1");
    expect((await verify(ws, tree)).result.setup).toMatchObject({ ran: true });
  });

  it("reports a verify command that is not found as a setup failure", async () => {
    const { ws, tree, verify } = await prepare(CALC, { commands: ["no-such-tool-bernstein --check", "node --test"] });
    const { result } = await verify(ws, tree);
    expect(result.setupFailure).toMatchObject({
      phase: "verify",
      command: "no-such-tool-bernstein --check",
      exitCode: 127,
    });
    expect(result.setupFailure?.message).toMatch(/not found/);
    expect(result.commands?.[1]).toMatchObject({ exitCode: 0, tests: 2 });
  });

  it("reads JUnit reports each command writes, removes a previous job's, and warns on malformed XML or no match", async () => {
    const junit = (status: string) =>
      `<testsuites><testsuite name="s"><testcase name="one"/><testcase name="two">${status === "fail" ? '<failure message="two broke"/>' : ""}</testcase></testsuite></testsuites>`;
    const write = (status: string) =>
      `mkdir -p reports && printf '%s' '${junit(status)}' > reports/junit.xml; test ${status} = pass`;
    const { ws, tree, verify } = await prepare(CALC, { reports: ["reports/*.xml"] });
    const failing = await verify(ws, tree, { commands: [write("fail")] });
    expect(failing.result.checks?.map((c) => [c.name, c.status, c.message ?? null, c.source])).toEqual([
      ["s › one", "passed", null, "reports/junit.xml"],
      ["s › two", "failed", "two broke", "reports/junit.xml"],
    ]);
    // The next job writes no report: it must not read the one above.
    const stale = await verify(ws, tree, { commands: ["true"] });
    expect(stale.result.checks?.map((c) => c.id)).toEqual(["$ true"]);
    expect(stale.result.warnings).toEqual([
      expect.stringMatching(/no report matched verify\.reports \(reports\/\*\.xml\)/),
    ]);
    const malformed = await verify(ws, tree, {
      commands: ["mkdir -p reports && echo '<testsuites><testsuite>' > reports/broken.xml"],
    });
    expect(malformed.result.warnings?.[0]).toMatch(/^report reports\/broken\.xml of .* is not valid JUnit XML/);
    expect(malformed.result.checks?.map((c) => [c.id, c.status])).toEqual([
      ["$ mkdir -p reports && echo '<testsuites><testsuite>' > reports/broken.xml", "passed"],
    ]);
    expect(malformed.log).toContain("[runner] warning: report reports/broken.xml");
  });

  it("runs the task's test_passes commands on the candidate, naming the tests that failed", async () => {
    const broken = { ...CALC, "src/add.js": { content: "export const add = (a, b) => a - b;\n" } };
    const { ws, tree, verify } = await prepare(broken, {
      commands: ["true"],
      signals: ["node --test test/add.test.js", "true"],
    });
    const { result, failedCommand } = await verify(ws, tree);
    expect(result.passed).toBe(false);
    expect(failedCommand).toBe("node --test test/add.test.js");
    expect(result.signals?.map((s) => [s.command, s.passed, (s.failedTests ?? []).map((t) => t.name)])).toEqual([
      ["node --test test/add.test.js", false, ["add adds", "add is commutative"]],
      ["true", true, []],
    ]);
    // Signals are the task's own: they are not checks compared with the integration tree.
    expect(result.checks?.map((c) => c.id)).toEqual(["$ true"]);
  });

  it("stops at the job's deadline: later commands do not run", async () => {
    const { ws, tree, verify } = await prepare(CALC, { commands: ["sleep 5", "true"], timeoutSeconds: 1 });
    const { result } = await verify(ws, tree);
    expect(result.timedOut).toBe(true);
    expect(result.commands?.map((c) => [c.command, c.exitCode, c.timedOut])).toEqual([
      ["sleep 5", null, true],
      ["true", null, false],
    ]);
  });
});
