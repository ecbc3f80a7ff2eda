import { createArtifactStore } from "@bernstein/artifacts";
import { AddBudgetRequest, BernsteinError, CreateRunRequest, canonicalJson, RunId, RunStatus } from "@bernstein/core";
import { createDb, type Db, getAuditEvents, getTasksOfRun, listRuns } from "@bernstein/db";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { sha256Hex } from "../http/token-hash.js";
import { newRun } from "../runs/new-run.js";
import { runResult } from "../runs/run-result.js";
import { loadRunView } from "../views.js";

const coordinatorOf = (env: Env, runId: string) => env.COORDINATOR.get(env.COORDINATOR.idFromName(runId));

/** A run-scoped route with no body: the id is checked by format, then the run must exist. */
const onRun = (method: "GET" | "POST", suffix: string, act: (env: Env, db: Db, runId: string) => Promise<unknown>) =>
  route({
    method,
    path: `/v1/runs/:id${suffix}`,
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const runId = idParam(RunId, request.params.id, "run");
      const db = createDb(env.STATE_DB);
      await loadRunView(db, runId);
      return act(env, db, runId);
    },
  });

export const runRoutes: Route[] = [
  route({
    method: "POST",
    path: "/v1/runs",
    access: "admin",
    body: jsonBody(CreateRunRequest, 4 * 1024 * 1024),
    async handler({ env, body }) {
      const db = createDb(env.STATE_DB);
      const { run, plan } = await newRun(body, env);
      const { idempotencyKey, ...request } = body;
      const requestSha256 = await sha256Hex(canonicalJson(request));
      const existed = await loadRunView(db, run.id).catch(notFoundAsUndefined);
      if (!existed) {
        await coordinatorOf(env, run.id).create({ run, plan, idempotencyKey: idempotencyKey ?? null, requestSha256 });
      }
      if (idempotencyKey) await requireSameRequest(db, run.id, requestSha256);
      return Response.json(existed ?? (await loadRunView(db, run.id)), { status: existed ? 200 : 201 });
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

  onRun("GET", "", (_env, db, runId) => loadRunView(db, runId)),
  onRun("POST", "/cancel", async (env, db, runId) => {
    await coordinatorOf(env, runId).cancel(runId);
    return loadRunView(db, runId);
  }),

  /** Adds budget to a run (capped, refused once it ended); a run paused for money runs again. */
  route({
    method: "POST",
    path: "/v1/runs/:id/budget",
    access: "admin",
    body: jsonBody(AddBudgetRequest),
    async handler({ request, env, body }) {
      const runId = idParam(RunId, request.params.id, "run");
      const db = createDb(env.STATE_DB);
      await loadRunView(db, runId);
      await coordinatorOf(env, runId).addBudget(runId, body.addUsd);
      return loadRunView(db, runId);
    },
  }),

  /** Restarts the run's workflows that a previous start of the stack left behind (see `redrive`). */
  onRun("POST", "/resume", async (env, _db, runId) => ({ restarted: await coordinatorOf(env, runId).redrive(runId) })),
  onRun("GET", "/tasks", async (_env, db, runId) => ({ tasks: await getTasksOfRun(db, runId) })),
  onRun("GET", "/result", (env, db, runId) => runResult(db, createArtifactStore(env.ARTIFACTS), runId)),

  /** Server-sent events: the run's log after `?after=<seq>` (or `Last-Event-ID`), then live. */
  route({
    method: "GET",
    path: "/v1/runs/:id/events",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const runId = idParam(RunId, request.params.id, "run");
      await loadRunView(createDb(env.STATE_DB), runId);
      const after = String(request.query.after ?? request.headers.get("last-event-id") ?? "0");
      if (!/^\d{1,15}$/.test(after))
        throw new BernsteinError("bad_request", "after must be a non-negative integer seq");
      const url = `https://coordinator/events?run=${runId}&after=${after}`;
      return coordinatorOf(env, runId).fetch(url, { signal: request.signal });
    },
  }),
];

/**
 * An idempotency key names one request: the same key with another body is a 409, never the
 * other request's run. The run's first audit link records the SHA-256 of the request it came from.
 */
async function requireSameRequest(db: Db, runId: string, requestSha256: string): Promise<void> {
  const [first] = await getAuditEvents(db, runId, { limit: 1 });
  const recorded = first?.data.request;
  if (typeof recorded === "string" && recorded !== requestSha256) {
    throw new BernsteinError(
      "conflict",
      `the idempotency key was already used for a different request (run ${runId}); use a new key for a new run`,
      { details: { runId } },
    );
  }
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof BernsteinError && error.code === "not_found") return undefined;
  throw error;
}
