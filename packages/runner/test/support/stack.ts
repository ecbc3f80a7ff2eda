import {
  type BernsteinClient,
  createClient,
  createRunnerClient,
  type RunnerClient,
  registerRunner,
} from "@bernstein/client";
import { errorCodeOf, isTerminalRunStatus, Plan, type RunEvent, type RunView } from "@bernstein/core";
import type { LocalStack } from "@bernstein/local-stack";
import {
  CALCULATOR_PLAN,
  calculatorFiles,
  type ModelScript,
  type ScriptedModel,
  uploadSnapshot,
} from "@bernstein/testing";
import { startTestStack } from "./harness.js";

export { calculatorFiles };

export interface RunnerTestStack {
  stack: LocalStack;
  model: ScriptedModel;
  /** A client with the API token. */
  api: BernsteinClient;
  /** Registers a runner and returns a client holding its token. */
  newRunner(name: string): Promise<{ id: string; token: string; client: RunnerClient }>;
  /** Uploads files as blobs plus their manifest; returns the manifest's hash. */
  upload(files: Record<string, string>): Promise<string>;
  /** The run's whole event log, as `logs` and the monitor read it (the run must have ended). */
  eventsOf(runId: string): Promise<RunEvent[]>;
  /** Rows of the jobs table of a run (D1, read through Miniflare). */
  jobsOf(runId: string): Promise<JobRow[]>;
  stop(): Promise<void>;
}

export interface JobRow {
  id: string;
  kind: "candidate" | "baseline";
  task_id: string | null;
  status: string;
  claims: number;
  runner_id: string | null;
  exit_code: number | null;
  manifest: string;
}

/** The built Worker bundles in the test harness's local stack, with runner helpers (`settings`: the orchestrator's). */
export async function startRunnerTestStack(
  script: ModelScript,
  settings?: Record<string, string>,
): Promise<RunnerTestStack> {
  const harness = await startTestStack(script, settings ? { settings } : {});
  const { stack } = harness;
  const api = createClient({ baseUrl: stack.url, token: stack.token });
  return {
    stack,
    model: harness.model,
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
      return (await uploadSnapshot(harness, files)).sha256;
    },
    async eventsOf(runId) {
      const events: RunEvent[] = [];
      for await (const event of api.events(runId, { after: 0 })) events.push(event);
      return events;
    },
    async jobsOf(runId) {
      const db = await stack.miniflare.getD1Database("STATE_DB");
      const rows = await db
        .prepare(
          "SELECT id, kind, task_id, status, claims, runner_id, exit_code, manifest FROM jobs WHERE run_id = ? ORDER BY created_at, id",
        )
        .bind(runId)
        .all<JobRow>();
      return rows.results;
    },
    stop: harness.stop,
  };
}

/** Polls a run until it ends (or `timeoutMs` passes) and returns its last view. */
export async function waitForRun(api: BernsteinClient, runId: string, timeoutMs = 90_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // One poll lost to a reset keep-alive connection is not the run's end: poll again.
    const run = await api.getRun(runId).catch((error: unknown) => {
      if (errorCodeOf(error) === "stack_unreachable" && Date.now() < deadline) return undefined;
      throw error;
    });
    if (run && (isTerminalRunStatus(run.status) || Date.now() > deadline)) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The calculator's ready plan (validated), or its first `tasks` tasks. */
export function calculatorPlan(tasks?: number): Plan {
  const plan = Plan.parse(CALCULATOR_PLAN);
  return tasks === undefined ? plan : { ...plan, tasks: plan.tasks.slice(0, tasks) };
}
