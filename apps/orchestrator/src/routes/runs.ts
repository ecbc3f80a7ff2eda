import { createArtifactStore } from "@bernstein/artifacts";
import { AddBudgetRequest, BernsteinError, CreateRunRequest, LIMITS, RunId, RunStatus } from "@bernstein/core";
import { createDb, listRuns } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam, readJson } from "../http/body.js";
import { newRun } from "../runs/new-run.js";
import { runResult } from "../runs/run-result.js";
import { yieldToIo } from "../yield-to-io.js";

export function runRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post("/v1/runs", async (request, env) => {
    await refuseTooLarge(request);
    const body = await readJson(request, CreateRunRequest);
    await yieldToIo(); // a large plan took a while to parse
    const { run, plan } = await newRun(body, env);
    const coordinator = coordinatorOf(env, run.id);
    const created = await coordinator.create({ run, plan, idempotencyKey: body.idempotencyKey ?? null });
    return Response.json(await coordinator.view(run.id), { status: created ? 201 : 200 });
  });

  router.get("/v1/runs", async (request, env) => {
    const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50) || 50));
    const status = request.query.status === undefined ? undefined : RunStatus.safeParse(request.query.status);
    if (status && !status.success)
      throw new BernsteinError("bad_request", `unknown run status ${String(request.query.status)}`);
    return { runs: await listRuns(createDb(env.STATE_DB), { limit, ...(status ? { status: status.data } : {}) }) };
  });

  router.get("/v1/runs/:id", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return coordinatorOf(env, runId).view(runId);
  });

  router.post("/v1/runs/:id/cancel", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const coordinator = coordinatorOf(env, runId);
    await coordinator.cancel(runId);
    return coordinator.view(runId);
  });

  /** Adds budget to a run; a run paused for money runs again. */
  router.post("/v1/runs/:id/budget", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const { addUsd } = await readJson(request, AddBudgetRequest);
    const coordinator = coordinatorOf(env, runId);
    await coordinator.addBudget(runId, addUsd);
    return coordinator.view(runId);
  });

  /** Restarts the run's workflows that a previous start of the stack left behind (see `coordinator/resume.ts`). */
  router.post("/v1/runs/:id/resume", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return { restarted: await coordinatorOf(env, runId).resume(runId) };
  });

  router.get("/v1/runs/:id/tasks", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return { tasks: (await coordinatorOf(env, runId).view(runId)).tasks };
  });

  router.get("/v1/runs/:id/result", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return runResult(await coordinatorOf(env, runId).view(runId), createArtifactStore(env.ARTIFACTS));
  });

  /** Server-sent events: the run's log after `?after=<seq>` (or `Last-Event-ID`), then live. */
  router.get("/v1/runs/:id/events", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const after = String(request.query.after ?? request.headers.get("last-event-id") ?? "0");
    if (!/^\d+$/.test(after)) throw new BernsteinError("bad_request", "after must be a non-negative integer seq");
    const url = `https://coordinator/events?run=${runId}&after=${after}`;
    return coordinatorOf(env, runId).fetch(url, { signal: request.signal });
  });
}

/**
 * A plan too large for one request is refused before it is parsed (413), never half-stored.
 * Its bytes are read and dropped first: a client still sending them would see its connection
 * reset instead of the answer.
 */
async function refuseTooLarge(request: Request): Promise<void> {
  const bytes = Number(request.headers.get("content-length") ?? 0);
  const max = LIMITS.createRunMaxBytes;
  if (bytes > max) {
    await request.body?.pipeTo(new WritableStream());
    throw new BernsteinError(
      "payload_too_large",
      `the run's request is ${bytes} bytes, over the ${max} a run's plan may take: split the goal into runs of fewer tasks, or shorten their descriptions`,
      { details: { limit: max, bytes } },
    );
  }
}
