import { createArtifactStore } from "@bernstein/artifacts";
import {
  AddBudgetRequest,
  BernsteinError,
  canonicalJsonInSlices,
  LIMITS,
  RunId,
  RunStatus,
  runInSlices,
} from "@bernstein/core";
import { createDb, listRuns } from "@bernstein/db";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { sha256Hex } from "../http/token-hash.js";
import { CreateRunBody, createRunRequestOf } from "../runs/create-run-body.js";
import { newRun } from "../runs/new-run.js";
import { runResult } from "../runs/run-result.js";
import { viewResponse } from "../runs/view-response.js";
import { yieldToIo } from "../yield-to-io.js";

/** A run-scoped route with no body: the id is checked by format, then the run's coordinator answers. */
const onRun = (method: "GET" | "POST", suffix: string, act: (env: Env, runId: string) => Promise<unknown>) =>
  route({
    method,
    path: `/v1/runs/:id${suffix}`,
    access: "admin",
    body: NO_BODY,
    handler: ({ request, env }) => act(env, idParam(RunId, request.params.id, "run")),
  });

export const runRoutes: Route[] = [
  /**
   * Creates a run. A plan too large for one request (`LIMITS.createRunMaxBytes`: it goes to the
   * coordinator in one RPC call) is a 413 before it is parsed, never half-stored. The long parts
   * of a large plan's checks (its tasks' schema, the plan's checks, the request's hash) run in
   * slices with yields to I/O between them, so the stack keeps answering meanwhile.
   */
  route({
    method: "POST",
    path: "/v1/runs",
    access: "admin",
    body: jsonBody(CreateRunBody, LIMITS.createRunMaxBytes),
    async handler({ env, body: raw }) {
      await yieldToIo(); // a large plan took a while to parse
      const body = await createRunRequestOf(raw);
      const { run, plan } = await newRun(body, env);
      const { idempotencyKey, ...request } = body;
      const requestSha256 = await sha256Hex(await runInSlices(canonicalJsonInSlices(request), yieldToIo));
      const coordinator = coordinatorOf(env, run.id);
      // A reused idempotency key with another request is a 409 from the coordinator.
      const created = await coordinator.create({ run, plan, idempotencyKey: idempotencyKey ?? null, requestSha256 });
      return viewResponse(await coordinator.view(run.id), created ? 201 : 200);
    },
  }),

  route({
    method: "GET",
    path: "/v1/runs",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const limitText = request.query.limit;
      const limit = limitText === undefined ? 50 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new BernsteinError("bad_request", "limit must be an integer from 1 to 200");
      }
      const status = request.query.status === undefined ? undefined : RunStatus.safeParse(request.query.status);
      if (status && !status.success) {
        throw new BernsteinError("bad_request", `unknown run status ${JSON.stringify(String(request.query.status))}`);
      }
      return { runs: await listRuns(createDb(env.STATE_DB), { limit, ...(status ? { status: status.data } : {}) }) };
    },
  }),

  onRun("GET", "", (env, runId) => coordinatorOf(env, runId).view(runId)),
  onRun("POST", "/cancel", async (env, runId) => {
    const coordinator = coordinatorOf(env, runId);
    await coordinator.cancel(runId);
    return coordinator.view(runId);
  }),

  /** Adds budget to a run (capped, refused once it ended); a run paused for money runs again. */
  route({
    method: "POST",
    path: "/v1/runs/:id/budget",
    access: "admin",
    body: jsonBody(AddBudgetRequest),
    async handler({ request, env, body }) {
      const runId = idParam(RunId, request.params.id, "run");
      const coordinator = coordinatorOf(env, runId);
      await coordinator.addBudget(runId, body.addUsd);
      return coordinator.view(runId);
    },
  }),

  /** Restarts the run's workflows that a previous start of the stack left behind (see `coordinator/resume.ts`). */
  onRun("POST", "/resume", async (env, runId) => ({ restarted: await coordinatorOf(env, runId).resume(runId) })),
  onRun("GET", "/tasks", async (env, runId) => ({ tasks: (await coordinatorOf(env, runId).view(runId)).tasks })),
  onRun("GET", "/result", async (env, runId) =>
    runResult(await coordinatorOf(env, runId).view(runId), createArtifactStore(env.ARTIFACTS)),
  ),

  /** Server-sent events: the run's log after `?after=<seq>` (or `Last-Event-ID`), then live. */
  route({
    method: "GET",
    path: "/v1/runs/:id/events",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const runId = idParam(RunId, request.params.id, "run");
      const after = String(request.query.after ?? request.headers.get("last-event-id") ?? "0");
      if (!/^\d{1,15}$/.test(after))
        throw new BernsteinError("bad_request", "after must be a non-negative integer seq");
      const url = `https://coordinator/events?run=${runId}&after=${after}`;
      return coordinatorOf(env, runId).fetch(url, { signal: request.signal });
    },
  }),
];
