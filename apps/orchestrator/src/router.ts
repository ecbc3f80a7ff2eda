import { BernsteinError } from "@bernstein/core";
import { AutoRouter, type IRequest } from "itty-router";
import type { Env } from "./env.js";
import { errorResponse } from "./http/errors.js";
import { authenticate } from "./http/principal.js";
import { authenticateSession } from "./http/session.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { blobRoutes } from "./routes/blobs.js";
import { costRoutes } from "./routes/cost.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { serveDashboard } from "./routes/dashboard-assets.js";
import { healthRoutes } from "./routes/health.js";
import { runnerRoutes } from "./routes/runners.js";
import { runRoutes } from "./routes/runs.js";
import { snapshotRoutes } from "./routes/snapshots.js";
import { taskRoutes } from "./routes/tasks.js";

/**
 * The orchestrator's HTTP API: `/healthz` is public, everything under `/v1` needs the bearer
 * token (or a dashboard session); `/login` and `/logout` sign the dashboard in and out, and
 * GETs of the dashboard's own paths are its static files (`routes/dashboard-assets.ts`).
 */
export function createRouter() {
  const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
    catch: errorResponse,
    missing: async (request, env) =>
      (await serveDashboard(request, env)) ?? errorResponse(new BernsteinError("not_found", "no such route")),
  });
  healthRoutes(router);
  router.all("/v1/*", async (request, env) => {
    request.principal = (await authenticateSession(request, env)) ?? (await authenticate(request, env));
  });
  blobRoutes(router);
  snapshotRoutes(router);
  runRoutes(router);
  taskRoutes(router);
  artifactRoutes(router);
  costRoutes(router);
  runnerRoutes(router);
  dashboardRoutes(router);
  return router;
}
