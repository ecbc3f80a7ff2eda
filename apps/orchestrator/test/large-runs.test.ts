import type { RunView, TaskView } from "@bernstein/core";
import { type ModelScript, uploadSnapshot } from "@bernstein/testing";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./support/stack.js";

// Runs of 5,000 tasks, the largest plan the schema accepts: cancelling one, failing a task
// that 4,999 others depend on, and retrying it. Each of these once failed on D1's limits (a
// change of a run was one D1 batch). Durations are printed, never asserted.

const TASKS = 5_000;
const title = (i: number) => `large task ${String(i).padStart(4, "0")}`;

function script(): ModelScript {
  const tasks: ModelScript["tasks"] = {};
  // Slow answers: a handful of tasks is in flight while the test acts on the whole run.
  for (let i = 0; i < TASKS; i++) tasks[title(i)] = [{ delayMs: 2_000, tools: [{ name: "finish", input: {} }] }];
  return { tasks };
}

let t: TestStack;
let snapshot: string;
const figures: Record<string, number> = {};

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates a run of `tasks` (plan tasks), timing the request. */
async function createRun(
  tasks: Record<string, unknown>[],
  name: string,
  options: Record<string, unknown>,
): Promise<RunView> {
  const started = Date.now();
  const res = await t.api("/v1/runs", {
    method: "POST",
    // workerd under Miniflare has closed the kept-alive connection of a multi-megabyte request
    // as the next request went out on it ("other side closed", once in three runs): the
    // requests after this one open their own.
    headers: { connection: "close" },
    body: JSON.stringify({ goal: `${name}: ${TASKS} tasks`, baseSnapshot: snapshot, plan: { tasks }, ...options }),
  });
  figures[`${name}_create_ms`] = Date.now() - started;
  expect(res.status).toBe(201);
  return json<RunView>(res);
}

async function timed<T>(name: string, act: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await act();
  figures[name] = Date.now() - started;
  return result;
}

// A fresh stack for each run: three runs of 5,000 tasks do not pile up in one workerd.
beforeEach(async () => {
  t = await startTestStack(script());
  snapshot = (await uploadSnapshot(t, { "README.md": "# Large runs\n" })).sha256;
}, 60_000);

afterEach(async () => {
  await t?.stop();
});

afterAll(() => {
  process.stderr.write(`large-run figures: ${JSON.stringify(figures)}\n`);
});

describe(`a run of ${TASKS} tasks`, () => {
  it("is refused with 413 when its request is too large for the coordinator, and nothing is stored", async () => {
    const before = (await json<{ runs: unknown[] }>(await t.api("/v1/runs?limit=200"))).runs.length;
    const plan = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      title: title(i),
      description: "x".repeat(3_500),
    }));
    const res = await t.api("/v1/runs", {
      method: "POST",
      headers: { connection: "close" }, // as in `createRun`
      body: JSON.stringify({ goal: "too large", baseSnapshot: snapshot, plan: { tasks: plan } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect((await json<{ runs: unknown[] }>(await t.api("/v1/runs?limit=200"))).runs).toHaveLength(before);
  }, 60_000);

  it("is cancelled in one call, every task cancelled, in D1 too", async () => {
    const plan = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      title: title(i),
      description: `Task ${i}.`,
      owned_files: [`f/${i}.txt`],
    }));
    const run = await createRun(plan, "cancel", { maxAgents: 4 });
    expect(run.tasks).toHaveLength(TASKS);
    const cancelled = await timed("cancel_ms", async () =>
      json<RunView>(await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" })),
    );
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.tasks.every((task) => task.status === "cancelled")).toBe(true);
    // The read model follows: the run list (D1) shows it cancelled.
    await expect
      .poll(
        async () =>
          (await json<{ runs: RunView[] }>(await t.api("/v1/runs"))).runs.find((r) => r.id === run.id)?.status,
        {
          timeout: 60_000,
        },
      )
      .toBe("cancelled");
  }, 180_000);

  it("is created with 100 dependencies a task, and a task is found with all of them", async () => {
    const plan = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      title: title(i),
      description: `Task ${i}.`,
      owned_files: [`f/${i}.txt`],
      depends_on: Array.from({ length: Math.min(i, 100) }, (_, k) => `t${i - 1 - k}`),
    }));
    const run = await createRun(plan, "deps", { maxAgents: 4 });
    expect(run.tasks.at(-1)?.dependsOn).toHaveLength(100);
    const task = await json<TaskView>(await t.api(`/v1/tasks/${run.tasks.at(-1)?.id}`));
    expect(task.dependsOn).toEqual(run.tasks.at(-1)?.dependsOn);
    await t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" });
  }, 180_000);

  it("blocks every dependent of a failed task, and a retry opens them again", async () => {
    // t0 fails its completion signal at once (no retries); every other task waits for it.
    const plan = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      title: title(i),
      description: `Task ${i}.`,
      owned_files: [`f/${i}.txt`],
      ...(i === 0 ? { completion_signals: [{ type: "path_exists", value: "never.txt" }] } : { depends_on: ["t0"] }),
    }));
    const started = Date.now();
    const run = await createRun(plan, "block", { maxAgents: 4, maxRetries: 0 });
    const [first] = run.tasks;
    await expect
      .poll(async () => (await json<RunView>(await t.api(`/v1/runs/${run.id}`))).status, { timeout: 60_000 })
      .toBe("failed");
    figures.fail_and_block_ms = Date.now() - started;
    const failed = await json<RunView>(await t.api(`/v1/runs/${run.id}`));
    expect(failed.tasks[0]?.status).toBe("failed");
    expect(failed.tasks.slice(1).every((task) => task.status === "blocked")).toBe(true);
    expect(failed.error?.message).toMatch(new RegExp(`^${TASKS} of ${TASKS} tasks did not merge: .*and \\d+ more$`));

    const retried = await timed("retry_ms", async () =>
      json<TaskView>(await t.api(`/v1/tasks/${first?.id}/retry`, { method: "POST" })),
    );
    expect(retried.status).not.toBe("failed");
    const reopened = await json<RunView>(await t.api(`/v1/runs/${run.id}`));
    expect(reopened.status).toBe("running");
    expect(reopened.tasks.slice(1).every((task) => task.status === "open")).toBe(true);
    await timed("cancel_after_retry_ms", async () => t.api(`/v1/runs/${run.id}/cancel`, { method: "POST" }));
  }, 180_000);
});
