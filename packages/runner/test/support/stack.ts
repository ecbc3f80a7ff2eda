import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BernsteinClient,
  createClient,
  createRunnerClient,
  type RunnerClient,
  registerRunner,
} from "@bernstein/client";
import { canonicalJson, isTerminalRunStatus, type Manifest, Plan, type RunView } from "@bernstein/core";
import { type LocalStack, startLocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_PLAN,
  fixtureSourceDir,
  type ModelScript,
  type ScriptedModel,
  startScriptedModel,
} from "@bernstein/testing";
import { sha256Of } from "../../src/blob-cache.js";

export const MODEL_KEY = "sk-ant-test-runner-0123456789";

export interface RunnerTestStack {
  stack: LocalStack;
  model: ScriptedModel;
  /** A client with the API token. */
  api: BernsteinClient;
  /** Registers a runner and returns a client holding its token. */
  newRunner(name: string): Promise<{ id: string; token: string; client: RunnerClient }>;
  /** Uploads files as blobs plus their manifest; returns the manifest's hash. */
  upload(files: Record<string, string>): Promise<string>;
  /** Rows of the jobs table of a run (D1, read through Miniflare). */
  jobsOf(runId: string): Promise<JobRow[]>;
  stop(): Promise<void>;
}

export interface JobRow {
  id: string;
  task_id: string;
  status: string;
  claims: number;
  runner_id: string | null;
  exit_code: number | null;
  manifest: string;
}

/** The built Worker bundles in an in-memory local stack whose model is a script. */
export async function startRunnerTestStack(script: ModelScript): Promise<RunnerTestStack> {
  const model = await startScriptedModel(script, { apiKey: MODEL_KEY });
  const stack = await startLocalStack({
    bundles: {
      orchestrator: fileURLToPath(import.meta.resolve("@bernstein/orchestrator/bundle")),
      agent: fileURLToPath(import.meta.resolve("@bernstein/agent/bundle")),
    },
    token: "test-token-runner-stack",
    auditKey: "b".repeat(64),
    env: { ANTHROPIC_API_KEY: MODEL_KEY, ANTHROPIC_BASE_URL: model.anthropicBaseUrl },
  });
  const api = createClient({ baseUrl: stack.url, token: stack.token });
  return {
    stack,
    model,
    api,
    async newRunner(name) {
      const created = await registerRunner({ baseUrl: stack.url, token: stack.token }, { name, labels: [] });
      return {
        id: created.id,
        token: created.token,
        client: createRunnerClient({ baseUrl: stack.url, token: created.token }),
      };
    },
    async upload(files) {
      const manifest: Manifest = {};
      for (const [path, text] of Object.entries(files)) {
        const bytes = new TextEncoder().encode(text);
        const sha = sha256Of(bytes);
        manifest[path] = { sha256: sha, mode: "100644", size: bytes.length };
        await api.putBlob(sha, bytes);
      }
      const created = await api.createSnapshot(manifest);
      if (created.sha256 !== sha256Of(canonicalJson(manifest))) throw new Error("snapshot hash differs");
      return created.sha256;
    },
    async jobsOf(runId) {
      const db = await stack.miniflare.getD1Database("STATE_DB");
      const rows = await db
        .prepare(
          "SELECT id, task_id, status, claims, runner_id, exit_code, manifest FROM jobs WHERE run_id = ? ORDER BY created_at, id",
        )
        .bind(runId)
        .all<JobRow>();
      return rows.results;
    },
    async stop() {
      await stack.stop();
      await model.close();
    },
  };
}

/** The files of the calculator example. */
export function calculatorFiles(): Record<string, string> {
  const root = fixtureSourceDir("calculator");
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}

/** Polls a run until it ends (or `timeoutMs` passes) and returns its last view. */
export async function waitForRun(api: BernsteinClient, runId: string, timeoutMs = 90_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.getRun(runId);
    if (isTerminalRunStatus(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The calculator's ready plan (validated), or its first `tasks` tasks. */
export function calculatorPlan(tasks?: number): Plan {
  const plan = Plan.parse(CALCULATOR_PLAN);
  return tasks === undefined ? plan : { ...plan, tasks: plan.tasks.slice(0, tasks) };
}
