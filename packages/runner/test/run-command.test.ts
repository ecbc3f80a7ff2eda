import type { CostReport, RunEvent, RunView, TaskView } from "@bernstein/core";
import { calculatorFiles, readEvents, uploadSnapshot } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/harness.js";
import { startTestRunner } from "./support/test-runner.js";

const WRONG_ADD = "/** Returns the sum of two numbers. */\nexport function add(a, b) {\n  return a - b;\n}\n";
const RIGHT_ADD = "/** Returns the sum of two numbers. */\nexport function add(a, b) {\n  return a + b;\n}\n";
const TEST = "node --test";
const run = (command: string, extra: Record<string, unknown> = {}) => ({
  name: "run_command",
  input: { command, ...extra },
});
const notes = { name: "write_file", input: { path: "NOTES.md", content: "checked\n" } };
const finish = (summary: string) => ({ tools: [{ name: "finish", input: { summary } }] });

const OPENAI_TASK = "Fix add through OpenAI";
// Answers by task title (the first message) and turn; each tool result comes back in the next request.
// The one run without a plan (the OpenAI one) gets its plan from the planner.
const script = {
  plan: [
    {
      tools: [
        {
          name: "submit_plan",
          input: {
            tasks: [
              {
                id: "t1",
                title: OPENAI_TASK,
                description: "add returns a difference",
                role: "backend",
                owned_files: ["src/add.js"],
                completion_signals: [{ type: "test_passes", value: TEST }],
              },
            ],
          },
        },
      ],
    },
  ],
  tasks: {
    [OPENAI_TASK]: [
      { tools: [run(TEST)] },
      { tools: [{ name: "write_file", input: { path: "src/add.js", content: RIGHT_ADD } }] },
      { tools: [run(TEST)] },
      finish("fixed add through OpenAI"),
    ],
    "Try without a runner": [{ tools: [run(TEST), notes] }, finish("no runner")],
    "Fix add with the tests": [
      { tools: [run(TEST)] },
      { tools: [{ name: "write_file", input: { path: "src/add.js", content: RIGHT_ADD } }] },
      { tools: [run(TEST)] },
      finish("fixed add; the tests pass"),
    ],
    "Probe the command limits": [
      {
        tools: [
          run("npm test && git push origin main"),
          run("sleep 30", { timeout_seconds: 1 }),
          run("node -e \"process.stdout.write('x'.repeat(20000))\""),
          run("echo changed > src/add.js && rm README.md"),
          notes,
        ],
      },
      finish("probed"),
    ],
  },
};

let t: TestStack;
let snapshot: string;
let runner: { stop(): Promise<void> } | undefined;
beforeAll(async () => {
  t = await startTestStack(script, { openai: true });
  snapshot = (await uploadSnapshot(t, { ...calculatorFiles(), "src/add.js": WRONG_ADD })).sha256;
});
afterAll(async () => {
  await runner?.stop();
  await t?.stop();
});

async function startRun(title: string, extra: Record<string, unknown> = {}): Promise<RunView> {
  const res = await t.api("/v1/runs", {
    method: "POST",
    body: JSON.stringify({ goal: "commands", baseSnapshot: snapshot, plan: { tasks: [{ id: "a", title }] }, ...extra }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as RunView;
}

async function taskOf(runId: string): Promise<TaskView> {
  const view = (await (await t.api(`/v1/runs/${runId}`)).json()) as RunView;
  return (await (await t.api(`/v1/tasks/${view.tasks[0]?.id}`)).json()) as TaskView;
}

/** The tool results the model got back in the request of `turn` of the task `key`. */
function toolResults(key: string, turn: number): { content: string; is_error?: boolean }[] {
  const request = t.model.requests.find((r) => r.key === key && r.turn === turn);
  const messages = (request?.body as { messages: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  const last = messages.at(-1)?.content;
  return (Array.isArray(last) ? last : []).filter((b: { type?: string }) => b.type === "tool_result");
}

function commandEvents(events: RunEvent[]): Record<string, unknown>[] {
  return events.filter((e) => e.type === "log" && e.data.kind === "command").map((e) => e.data);
}

async function execJobs(runId: string): Promise<{ status: string; claims: number; exit_code: number | null }[]> {
  const db = await t.stack.miniflare.getD1Database("STATE_DB");
  const rows = await db
    .prepare("SELECT status, claims, exit_code FROM jobs WHERE run_id = ? AND kind = 'exec' ORDER BY created_at, id")
    .bind(runId)
    .all<{ status: string; claims: number; exit_code: number | null }>();
  return rows.results;
}

describe("run_command", () => {
  // First, before any runner registered: the tool says so at once and the attempt goes on.
  it("answers at once that no runner is connected, and the attempt goes on", async () => {
    const view = await startRun("Try without a runner");
    const events = await readEvents(t, view.id, 0, 90_000);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });
    const [result] = toolResults("Try without a runner", 1);
    expect(result).toMatchObject({ is_error: true, content: expect.stringContaining("no runner connected") });
    expect(result?.content).toContain("start one with `bernstein runner`");
    expect(commandEvents(events)).toEqual([expect.objectContaining({ problem: "no runner connected" })]);
    expect(await execJobs(view.id)).toEqual([]);
  }, 120_000);

  it("runs the tests on the attempt's tree: the agent sees them fail, fixes the code, sees them pass and finishes", async () => {
    runner = await startTestRunner(t);
    const view = await startRun("Fix add with the tests", { verifyCommands: [TEST] });
    const events = await readEvents(t, view.id, 0, 150_000);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });

    const [failing] = toolResults("Fix add with the tests", 1);
    expect(failing?.is_error).toBeUndefined();
    expect(failing?.content).toMatch(/^\$ node --test\nexit code 1 in \d+\.\d s/);
    expect(failing?.content).toContain("add sums two numbers");
    expect(failing?.content).toMatch(/# fail 1/);
    const [passing] = toolResults("Fix add with the tests", 3);
    expect(passing?.content).toMatch(/^\$ node --test\nexit code 0 in/);
    expect(passing?.content).toMatch(/# fail 0/);

    const task = await taskOf(view.id);
    expect(task.status).toBe("merged");
    expect(task.attempts.map((a) => a.status)).toEqual(["succeeded"]);
    // Each command ran once, on one claim, and its outcome is in the task's activity.
    expect(await execJobs(view.id)).toEqual([
      { status: "failed", claims: 1, exit_code: 1 },
      { status: "passed", claims: 1, exit_code: 0 },
    ]);
    // Runner time (the commands and the verification) is counted next to model cost.
    const cost = (await (await t.api(`/v1/runs/${view.id}/cost`)).json()) as CostReport;
    expect(cost.runnerSeconds.byTask[task.id]).toBeGreaterThan(0);
    expect(cost.runnerSeconds.byAttempt[task.attempts[0]?.id ?? ""]).toBeGreaterThan(0);
    expect(cost.runnerSeconds.total).toBeGreaterThanOrEqual(cost.runnerSeconds.byTask[task.id] ?? 0);
    expect(commandEvents(events).map((d) => [d.command, d.exitCode])).toEqual([
      [TEST, 1],
      [TEST, 0],
    ]);
  }, 180_000);

  it("runs the same loop through the OpenAI provider, and the planner is told of the tool", async () => {
    const res = await t.api("/v1/runs", {
      method: "POST",
      body: JSON.stringify({ goal: "fix add", baseSnapshot: snapshot, model: "openai/gpt-5" }),
    });
    expect(res.status).toBe(201);
    const view = (await res.json()) as RunView;
    const events = await readEvents(t, view.id, 0, 150_000);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });
    const requests = t.model.requests.filter((r) => r.key === "plan" || r.key === OPENAI_TASK);
    expect(requests.length).toBeGreaterThan(4);
    expect(new Set(requests.map((r) => r.provider))).toEqual(new Set(["openai"]));
    // The planner's instructions name the tool (commands are on by default).
    const plan = t.model.requests.find((r) => r.key === "plan" && r.provider === "openai");
    expect(JSON.stringify(plan?.body)).toContain("run_command");
    // The tool goes out as a Chat Completions function; its results come back as `tool` messages.
    const first = t.model.requests.find((r) => r.key === OPENAI_TASK && r.turn === 1)?.body as {
      tools: { type: string; function: { name: string } }[];
    };
    expect(first.tools).toContainEqual(
      expect.objectContaining({ type: "function", function: expect.objectContaining({ name: "run_command" }) }),
    );
    const toolMessage = (turn: number) => {
      const body = t.model.requests.find((r) => r.key === OPENAI_TASK && r.turn === turn)?.body as {
        messages: { role: string; content: string }[];
      };
      return body.messages.filter((m) => m.role === "tool").at(-1)?.content ?? "";
    };
    expect(toolMessage(1)).toMatch(/^\$ node --test\nexit code 1 in \d+\.\d s/);
    expect(toolMessage(1)).toContain("add sums two numbers");
    expect(toolMessage(3)).toMatch(/^\$ node --test\nexit code 0 in/);
    const task = await taskOf(view.id);
    expect(task.status).toBe("merged");
    expect(task.attempts.map((a) => a.status)).toEqual(["succeeded"]);
    // `GET /v1/tasks/:id` lists the task's commands, settled, in order.
    expect(task.commands.map((c) => [c.command, c.status, c.exitCode, c.attempt, c.claims])).toEqual([
      [TEST, "failed", 1, 1, 1],
      [TEST, "passed", 0, 1, 1],
    ]);
    expect(task.commands.every((c) => (c.runnerMs ?? 0) > 0 && c.instance !== null)).toBe(true);
  }, 180_000);

  it("refuses a denied command naming the rule, kills one over its timeout, caps output and discards file changes", async () => {
    const view = await startRun("Probe the command limits", {
      commands: { deny: ["git push*"], maxOutputBytes: 4096 },
    });
    const events = await readEvents(t, view.id, 0, 150_000);
    expect(events.at(-1)).toMatchObject({ type: "run.status", data: { to: "completed" } });
    const [denied, slow, loud, writer, wrote] = toolResults("Probe the command limits", 1);
    expect(denied).toMatchObject({
      is_error: true,
      content: 'Error: `git push origin main` is denied by agent.commands.deny "git push*"; the command was not run',
    });
    expect(slow?.content).toMatch(/^\$ sleep 30\ntimed out after \d+\.\d s and was killed/);
    expect(loud?.content).toMatch(/of its 2\d{4} output bytes were cut from the middle/);
    expect(loud?.content).toContain("bytes cut");
    expect(loud?.content.length).toBeLessThan(4096 + 1000);
    expect(writer?.content).toMatch(
      /^\$ echo changed > src\/add\.js && rm README\.md\nexit code 0 in .*changes to 2 tracked files were discarded/,
    );
    expect(wrote?.content).toBe("wrote NOTES.md");
    // The patch holds only what the file tools did.
    const task = await taskOf(view.id);
    expect(task.status).toBe("merged");
    const patch = await (await t.api(`/v1/artifacts/${task.attempts[0]?.patchKey}`)).text();
    expect(patch).toContain("NOTES.md");
    expect(patch).not.toContain("src/add.js");
    expect(await execJobs(view.id)).toHaveLength(3);
  }, 180_000);
});
