import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CostReport, RunView, TaskView } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  readEvents,
  type ScriptedModel,
  startScriptedModel,
  TEST_API_TOKEN,
  TEST_MODEL_KEY,
  uploadSnapshot,
} from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_BUNDLES } from "./support/bundles.js";
import { readModel } from "./support/d1-rows.js";

// A run made before runs lived in the coordinator's SQLite is in D1 only. Stood in for by a
// failed run whose coordinator storage is deleted while the stack is down (D1's rows are the
// same tables either way). Started again, the stack must serve the run as before (no 404),
// write nothing to D1 for the import, and take a retry on it that continues its attempts,
// event log and audit chain.

const FAILING = "Fail on purpose";
const WAITING = "Wait for the first";
const PLAN = {
  tasks: [
    // Its completion signal never holds: the task fails, and the run with it (no retries).
    {
      id: "t0",
      title: FAILING,
      description: "Finish at once.",
      completion_signals: [{ type: "path_exists", value: "never.txt" }],
    },
    { id: "t1", title: WAITING, description: "Finish at once.", depends_on: ["t0"] },
  ],
};
const finish = [{ tools: [{ name: "finish", input: {} }] }];

let model: ScriptedModel;
let dir: string;
const stacks: LocalStack[] = [];

async function start(): Promise<LocalStack> {
  const stack = await startLocalStack({
    bundles: STACK_BUNDLES,
    persistDir: dir,
    token: TEST_API_TOKEN,
    auditKey: "a".repeat(64),
    env: { ANTHROPIC_API_KEY: TEST_MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  stacks.push(stack);
  return stack;
}

function api(stack: LocalStack) {
  return {
    api: (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${TEST_API_TOKEN}`);
      if (typeof init.body === "string" && !headers.has("content-type"))
        headers.set("content-type", "application/json");
      return fetch(`${stack.url}${path}`, { ...init, headers });
    },
  };
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Deletes the RunCoordinators' storage under the persistence root; returns how many files went. */
async function deleteCoordinatorStorage(): Promise<number> {
  let deleted = 0;
  for (const entry of await readdir(join(dir, "do"), { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.includes("RunCoordinator")) continue;
    const objects = join(dir, "do", entry.name);
    for (const file of await readdir(objects)) {
      await rm(join(objects, file), { recursive: true, force: true });
      deleted += 1;
    }
  }
  return deleted;
}

beforeAll(async () => {
  model = await startScriptedModel({ tasks: { [FAILING]: finish, [WAITING]: finish } }, { apiKey: TEST_MODEL_KEY });
  dir = await mkdtemp(join(tmpdir(), "bernstein-upgrade-"));
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  await model?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a run that D1 holds and its coordinator does not (made before runs lived there)", () => {
  it("is imported from D1 on first access: served as before, and changed from where it was", async () => {
    const first = await start();
    const t = api(first);
    const snapshot = await uploadSnapshot(t, { "README.md": "# Upgrade\n" });
    const created = await json<RunView>(
      await t.api("/v1/runs", {
        method: "POST",
        body: JSON.stringify({ goal: "upgrade", baseSnapshot: snapshot.sha256, plan: PLAN, maxRetries: 0 }),
      }),
    );
    const runId = created.id;
    await expect
      .poll(async () => (await json<RunView>(await t.api(`/v1/runs/${runId}`))).status, {
        timeout: 90_000,
        interval: 200,
      })
      .toBe("failed");
    const before = {
      view: await json<RunView>(await t.api(`/v1/runs/${runId}`)),
      events: await readEvents(t, runId),
      cost: await json<CostReport>(await t.api(`/v1/runs/${runId}/cost`)),
    };
    const taskId = before.view.tasks[0]?.id ?? "";
    const taskBefore = await json<TaskView>(await t.api(`/v1/tasks/${taskId}`));
    // Everything has reached D1 before the stack stops.
    await expect
      .poll(async () => (await readModel(first.miniflare, runId)).events?.length, { timeout: 30_000 })
      .toBe(before.events.length);
    const d1Before = await readModel(first.miniflare, runId);
    await first.stop();
    stacks.length = 0;

    expect(await deleteCoordinatorStorage()).toBeGreaterThan(0);

    const second = await start();
    const u = api(second);
    expect(await json<RunView>(await u.api(`/v1/runs/${runId}`))).toEqual(before.view);
    expect(await json<TaskView>(await u.api(`/v1/tasks/${taskId}`))).toEqual(taskBefore);
    expect(await readEvents(u, runId)).toEqual(before.events);
    // The burn rate is of the five minutes before each request: the rest is the same.
    const costAfter = await json<CostReport>(await u.api(`/v1/runs/${runId}/cost`));
    expect({ ...costAfter, burn: null }).toEqual({ ...before.cost, burn: null });
    // The import wrote nothing to D1: no row doubled, none changed.
    expect(await readModel(second.miniflare, runId)).toEqual(d1Before);

    // A retry after the import: the task's second attempt, the run's log and its audit chain go on.
    const retried = await json<TaskView>(await u.api(`/v1/tasks/${taskId}/retry`, { method: "POST" }));
    expect(retried.status).not.toBe("failed");
    await expect
      .poll(async () => (await json<RunView>(await u.api(`/v1/runs/${runId}`))).status, {
        timeout: 90_000,
        interval: 200,
      })
      .toBe("failed");
    const after = await json<TaskView>(await u.api(`/v1/tasks/${taskId}`));
    expect(after.attempts.map((a) => a.n)).toEqual([1, 2]);
    const events = await readEvents(u, runId);
    expect(events.slice(0, before.events.length)).toEqual(before.events);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const lastLink = d1Before.audit_events?.at(-1);
    await expect
      .poll(async () => {
        const d1 = await readModel(second.miniflare, runId);
        const added = d1.audit_events?.slice(d1Before.audit_events?.length ?? 0) ?? [];
        const next = added[0];
        // The retry's links: the user's, and the coordinator's for the transitions it caused.
        const retried = added.some((link) => link.action === "task.retry");
        return [d1.events?.length, d1.attempts?.length, next?.seq, next?.prev_hmac, retried];
      })
      .toEqual([events.length, (d1Before.attempts?.length ?? 0) + 1, Number(lastLink?.seq) + 1, lastLink?.hmac, true]);
  }, 240_000);
});
