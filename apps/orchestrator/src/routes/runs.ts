import { createArtifactStore } from "@bernstein/artifacts";
import { AddBudgetRequest, BernsteinError, CreateRunRequest, RunId, RunStatus } from "@bernstein/core";
import { createDb, getTasksOfRun, listRuns } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { idParam, readJson } from "../http/body.js";
import { newRun } from "../runs/new-run.js";
import { runResult } from "../runs/run-result.js";
import { loadRunView } from "../views.js";

export function runRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post("/v1/runs", async (request, env) => {
    const body = await readJson(request, CreateRunRequest);
    const db = createDb(env.STATE_DB);
    const { run, plan } = await newRun(body, env);
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName(run.id));
    const existed = await loadRunView(db, run.id).catch(notFoundAsUndefined);
    if (existed) return Response.json(existed, { status: 200 });
    await coordinator.create({ run, plan, idempotencyKey: body.idempotencyKey ?? null });
    return Response.json(await loadRunView(db, run.id), { status: 201 });
  });

  router.get("/v1/runs", async (request, env) => {
    const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50) || 50));
    const status = request.query.status === undefined ? undefined : RunStatus.safeParse(request.query.status);
    if (status && !status.success)
      throw new BernsteinError("bad_request", `unknown run status ${String(request.query.status)}`);
    return { runs: await listRuns(createDb(env.STATE_DB), { limit, ...(status ? { status: status.data } : {}) }) };
  });

  router.get("/v1/runs/:id", async (request, env) =>
    loadRunView(createDb(env.STATE_DB), idParam(RunId, request.params.id, "run")),
  );

  router.post("/v1/runs/:id/cancel", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const db = createDb(env.STATE_DB);
    await loadRunView(db, runId);
    await env.COORDINATOR.get(env.COORDINATOR.idFromName(runId)).cancel(runId);
    return loadRunView(db, runId);
  });

  /** Adds budget to a run; a run paused for money runs again. */
  router.post("/v1/runs/:id/budget", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const { addUsd } = await readJson(request, AddBudgetRequest);
    const db = createDb(env.STATE_DB);
    await loadRunView(db, runId);
    await env.COORDINATOR.get(env.COORDINATOR.idFromName(runId)).addBudget(runId, addUsd);
    return loadRunView(db, runId);
  });

  /** Restarts the run's workflows that a previous start of the stack left behind (see `coordinator/resume.ts`). */
  router.post("/v1/runs/:id/resume", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    await loadRunView(createDb(env.STATE_DB), runId);
    return { restarted: await env.COORDINATOR.get(env.COORDINATOR.idFromName(runId)).resume(runId) };
  });

  router.get("/v1/runs/:id/tasks", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const db = createDb(env.STATE_DB);
    await loadRunView(db, runId);
    return { tasks: await getTasksOfRun(db, runId) };
  });

  router.get("/v1/runs/:id/result", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return runResult(createDb(env.STATE_DB), createArtifactStore(env.ARTIFACTS), runId);
  });

  /** Server-sent events: the run's log after `?after=<seq>` (or `Last-Event-ID`), then live. */
  router.get("/v1/runs/:id/events", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    await loadRunView(createDb(env.STATE_DB), runId);
    const after = String(request.query.after ?? request.headers.get("last-event-id") ?? "0");
    if (!/^\d+$/.test(after)) throw new BernsteinError("bad_request", "after must be a non-negative integer seq");
    const url = `https://coordinator/events?run=${runId}&after=${after}`;
    return env.COORDINATOR.get(env.COORDINATOR.idFromName(runId)).fetch(url, { signal: request.signal });
  });
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof BernsteinError && error.code === "not_found") return undefined;
  throw error;
}
