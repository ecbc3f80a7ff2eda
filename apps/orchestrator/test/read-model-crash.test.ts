import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunView } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_GOAL,
  CALCULATOR_PLAN,
  calculatorFiles,
  calculatorScript,
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

// Crash between a coordinator's commit and its outbox drain: the stack runs with the drain
// held (READ_MODEL_HOLD), so every change of the run is committed in the coordinator's
// SQLite and none is in D1, and is killed with SIGKILL in the middle of the run. Started
// again (without the hold), the coordinator's alarm drains the outbox and resumes the run.
// D1 must end as the coordinator's own state says, and as D1 of an uninterrupted run of the
// same plan (the same idempotency key names the same run and tasks), times aside.

const CHILD = fileURLToPath(new URL("./support/stack-process.ts", import.meta.url));
const KEY = "read-model-crash-0001";
/** Columns that hold times, or values made from them: they differ between two runs. */
const TIMED = new Set(["at", "created_at", "updated_at", "started_at", "finished_at", "lease_expires_at"]);
const CHAINED = new Set(["hmac", "prev_hmac"]);

let model: ScriptedModel;
let dir: string;
let child: ChildProcess | undefined;
const stacks: LocalStack[] = [];

function api(url: string) {
  return {
    api: (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${TEST_API_TOKEN}`);
      if (typeof init.body === "string" && !headers.has("content-type"))
        headers.set("content-type", "application/json");
      return fetch(`${url}${path}`, { ...init, headers });
    },
  };
}

async function startChild(hold: boolean): Promise<string> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, dir, model.anthropicBaseUrl, hold ? "hold" : ""], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  child = proc;
  let out = "";
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`the stack process exited (${code}) before it was ready`)));
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
}

async function killChild(): Promise<void> {
  const proc = child;
  if (!proc?.pid || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  process.kill(-proc.pid, "SIGKILL");
  await exited;
  child = undefined;
}

async function startInProcess(persistDir?: string): Promise<LocalStack> {
  const stack = await startLocalStack({
    bundles: STACK_BUNDLES,
    ...(persistDir ? { persistDir } : {}),
    token: TEST_API_TOKEN,
    auditKey: "a".repeat(64),
    env: { ANTHROPIC_API_KEY: TEST_MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  stacks.push(stack);
  return stack;
}

async function startRun(url: string): Promise<RunView> {
  const t = api(url);
  const snapshot = await uploadSnapshot(t, calculatorFiles());
  const res = await t.api("/v1/runs", {
    method: "POST",
    // One agent: the run's order of events is fixed, so two runs can be compared row for row.
    body: JSON.stringify({
      goal: CALCULATOR_GOAL,
      baseSnapshot: snapshot.sha256,
      plan: CALCULATOR_PLAN,
      maxAgents: 1,
      idempotencyKey: KEY,
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as RunView;
}

async function view(url: string, runId: string): Promise<RunView> {
  return (await (await api(url).api(`/v1/runs/${runId}`)).json()) as RunView;
}

/**
 * The rows without times (and the audit HMACs and cost row numbers made from or assigned by
 * them), and without the log of the restart itself: what must be equal between two runs.
 */
function comparable(dump: Record<string, Record<string, unknown>[]>) {
  const strip = (table: string, row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([column]) =>
          !TIMED.has(column) &&
          !CHAINED.has(column) &&
          !(table === "cost_events" && column === "id") &&
          column !== "seq",
      ),
    );
  return Object.fromEntries(
    Object.entries(dump).map(([table, rows]) => [
      table,
      rows
        .filter((row) => !(table === "events" && row.type === "log" && String(row.data).includes('"kind":"resume"')))
        .map((row) => strip(table, row)),
    ]),
  );
}

beforeAll(async () => {
  model = await startScriptedModel(calculatorScript({ delayMs: 150 }), { apiKey: TEST_MODEL_KEY });
  dir = await mkdtemp(join(tmpdir(), "bernstein-read-model-crash-"));
}, 60_000);

afterAll(async () => {
  await killChild();
  for (const stack of stacks) await stack.stop();
  await model?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a stack killed between coordinator commits and the outbox drain", () => {
  it("ends with D1 as the coordinator holds the run, and as an uninterrupted run's D1", async () => {
    // 1. Drains held: the run goes on in the coordinator; D1 gets nothing of it.
    const heldUrl = await startChild(true);
    const run = await startRun(heldUrl);
    await expect
      .poll(async () => (await view(heldUrl, run.id)).tasks.filter((t) => t.status === "merged").length, {
        timeout: 60_000,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(1);
    const listed = (await (await api(heldUrl).api("/v1/runs")).json()) as { runs: { id: string }[] };
    expect(listed.runs.map((r) => r.id)).not.toContain(run.id);
    await killChild();

    // 2. Started again: the alarm drains the outbox and resumes the run, which completes.
    const stack = await startInProcess(dir);
    const t = api(stack.url);
    await expect
      .poll(async () => (await view(stack.url, run.id)).status, { timeout: 90_000, interval: 200 })
      .toBe("completed");
    const final = await view(stack.url, run.id);
    const events = await readEvents(t, run.id);
    const cost = (await (await t.api(`/v1/runs/${run.id}/cost`)).json()) as { events: unknown[] };
    // D1 is the coordinator's state, row for row: none missing, none doubled.
    await expect
      .poll(async () => {
        const d1 = await readModel(stack.miniflare, run.id);
        return [d1.events?.length, d1.tasks?.map((r) => r.status), d1.runs?.[0]?.status, d1.cost_events?.length];
      })
      .toEqual([events.length, final.tasks.map((task) => task.status), "completed", cost.events.length]);
    const crashed = await readModel(stack.miniflare, run.id);
    expect(crashed.events?.map((e) => [e.seq, e.type, e.at])).toEqual(events.map((e) => [e.seq, e.type, e.at]));
    expect(crashed.tasks?.map((r) => [r.id, r.version, r.updated_at])).toEqual(
      final.tasks.map((task) => [task.id, task.version, task.updatedAt]),
    );

    // 3. The same plan uninterrupted, on a fresh stack.
    const clean = await startInProcess();
    const again = await startRun(clean.url);
    expect(again.id).toBe(run.id);
    await expect
      .poll(async () => (await view(clean.url, run.id)).status, { timeout: 90_000, interval: 200 })
      .toBe("completed");
    const cleanEvents = await readEvents(api(clean.url), run.id);
    await expect.poll(async () => (await readModel(clean.miniflare, run.id)).events?.length).toBe(cleanEvents.length);
    expect(comparable(crashed)).toEqual(comparable(await readModel(clean.miniflare, run.id)));
  }, 240_000);
});
