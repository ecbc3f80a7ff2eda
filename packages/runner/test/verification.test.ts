import type { RunView, TaskView } from "@bernstein/core";
import { calculatorFiles, README_ANCHOR, readEvents, uploadSnapshot } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/harness.js";
import { startTestRunner } from "./support/test-runner.js";

const WRONG_ADD = "export function add(a, b) {\n  return a - b;\n}\n";
const RIGHT_ADD = "/** Returns the sum of two numbers. */\nexport function add(a, b) {\n  return a + b;\n}\n";
const write = (path: string, content: string) => ({ tools: [{ name: "write_file", input: { path, content } }] });
const finish = (summary: string) => ({ tools: [{ name: "finish", input: { summary } }] });
// Longer than the feedback key, so the stubborn task's retries get the same wrong answer.
const STUBBORN = "Stubborn add: write the same code again, whatever the feedback says";
const README_NOTE = `${README_ANCHOR}\nSee the tests for examples.\n`;

// The scripted model answers by the longest key found in the agent's first message: a retried
// attempt's message carries the verify failure, so it gets the second, correct answer.
const script = {
  tasks: {
    "Rewrite add": [write("src/add.js", WRONG_ADD), finish("rewrote add")],
    "Your previous attempt failed (verify_failed)": [write("src/add.js", RIGHT_ADD), finish("fixed add")],
    [STUBBORN]: [write("src/add.js", WRONG_ADD), finish("rewrote add")],
    "Note the tests": [
      {
        tools: [
          { name: "edit_file", input: { path: "README.md", old_string: README_ANCHOR, new_string: README_NOTE } },
        ],
      },
      finish("pointed at the tests"),
    ],
  },
};

let t: TestStack;
let snapshot: string;
let runner: { stop(): Promise<void> };
beforeAll(async () => {
  t = await startTestStack(script);
  runner = await startTestRunner(t);
  snapshot = (await uploadSnapshot(t, calculatorFiles())).sha256;
});
afterAll(async () => {
  await runner?.stop();
  await t?.stop();
});

async function run(
  tasks: Record<string, unknown>[],
  verify: Record<string, unknown> = { verifyCommands: ["node --test"] },
): Promise<{ view: RunView; task: (title: string) => Promise<TaskView> }> {
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "verify", baseSnapshot: snapshot, plan: { tasks }, ...verify }),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as RunView;
  return {
    view: created,
    task: async (title) => {
      const view = (await (await t.api(`/v1/runs/${created.id}`)).json()) as RunView;
      const id = view.tasks.find((x) => x.title === title)?.id;
      return (await (await t.api(`/v1/tasks/${id}`)).json()) as TaskView;
    },
  };
}

async function log(taskId: string, attempt: number): Promise<string> {
  return (await t.api(`/v1/tasks/${taskId}/logs?attempt=${attempt}`)).text();
}

describe("verification by a runner", () => {
  it("retries a patch that fails the repo's tests with the failure as feedback, and merges the fix", async () => {
    const { view, task } = await run([{ id: "a", title: "Rewrite add", owned_files: ["src/add.js"] }]);
    const events = await readEvents(t, view.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });
    const done = await task("Rewrite add");
    expect(done.status).toBe("merged");
    expect(done.attempts.map((a) => a.status)).toEqual(["failed", "succeeded"]);
    expect(done.attempts[0]?.error?.code).toBe("verify_failed");
    // Both attempts' verify logs are in R2: the failing one and the passing one.
    expect(await log(done.id, 1)).toMatch(/fail/i);
    expect(await log(done.id, 2)).toMatch(/pass 1/);
    const second = t.model.requests.find((r) => r.key === "Your previous attempt failed (verify_failed)");
    expect(JSON.stringify(second?.body)).toContain("return a - b"); // the failed patch was shown
  }, 90_000);

  it("stops a task that writes the same wrong patch twice as no_progress, after two attempts", async () => {
    const { view, task } = await run([
      { id: "a", title: "Stubborn add", description: STUBBORN, owned_files: ["src/add.js"] },
    ]);
    const events = await readEvents(t, view.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "failed" } });
    const failed = await task("Stubborn add");
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("no_progress");
    expect(failed.attempts).toHaveLength(2);
  }, 90_000);
});

describe("bad verify settings", () => {
  it("blocks the task with the reason, without retrying the agent, when setup fails on the integration tree", async () => {
    const { view, task } = await run([{ id: "a", title: "Note the tests", owned_files: ["README.md"] }], {
      verifyCommands: ["node --test"],
      verifySetup: ["echo 'ERR_PNPM_OUTDATED_LOCKFILE: the lockfile is stale' >&2; exit 1"],
    });
    const events = await readEvents(t, view.id);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "failed" } });
    const blocked = await task("Note the tests");
    expect(blocked.status).toBe("blocked");
    expect(blocked.attempts).toHaveLength(1);
    expect(blocked.error?.code).toBe("verify_setup");
    expect(blocked.error?.message).toMatch(
      /the verify setup command `echo .*` failed \(exit 1\) on the integration tree/,
    );
    expect(blocked.error?.message).toContain("the lockfile is stale");
    expect(blocked.error?.message).toContain("bernstein retry");
  }, 90_000);

  it("blocks the task when a verify command is not found", async () => {
    const { view, task } = await run([{ id: "a", title: "Note the tests", owned_files: ["README.md"] }], {
      verifyCommands: ["bernstein-no-such-test-tool --all"],
    });
    await readEvents(t, view.id);
    const blocked = await task("Note the tests");
    expect(blocked).toMatchObject({ status: "blocked", error: { code: "verify_setup" } });
    expect(blocked.error?.message).toMatch(/`bernstein-no-such-test-tool --all` could not run \(exit 127\)/);
  }, 90_000);
});

describe("approvals", () => {
  it("holds a verified task in pending_approval; approve merges it", async () => {
    const { view, task } = await run([{ id: "a", title: "Note the tests", approval_required: true }]);
    await until(async () => (await task("Note the tests")).status === "pending_approval");
    const pending = await task("Note the tests");
    const approved = await t.api(`/v1/tasks/${pending.id}/approve`, { method: "POST" });
    expect(approved.status).toBe(200);
    expect((await readEvents(t, view.id)).at(-1)).toMatchObject({ data: { to: "completed" } });
    expect((await task("Note the tests")).status).toBe("merged");
    const audit = await t.stack.miniflare.getD1Database("STATE_DB");
    const rows = await audit
      .prepare("SELECT action, data FROM audit_events WHERE run_id = ? ORDER BY seq")
      .bind(view.id)
      .all<{ action: string; data: string }>();
    expect(rows.results.map((r) => r.action)).toContain("task.approve");
  }, 90_000);

  it("reject fails the task with the reason, and a second decision is refused", async () => {
    const { view, task } = await run([{ id: "a", title: "Note the tests", approval_required: true }]);
    await until(async () => (await task("Note the tests")).status === "pending_approval");
    const pending = await task("Note the tests");
    const rejected = await t.api(`/v1/tasks/${pending.id}/reject`, {
      method: "POST",
      body: JSON.stringify({ reason: "not this way" }),
    });
    expect(((await rejected.json()) as TaskView).status).toBe("failed");
    expect((await readEvents(t, view.id)).at(-1)).toMatchObject({ data: { to: "failed" } });
    const after = await task("Note the tests");
    expect(after.error).toEqual({ code: "rejected", message: "not this way" });
    expect(after.attempts).toHaveLength(1);
    const again = await t.api(`/v1/tasks/${pending.id}/approve`, { method: "POST" });
    expect(again.status).toBe(409);
  }, 90_000);
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
