import { BernsteinError } from "@bernstein/core";
import { AutoRouter, type IRequest } from "itty-router";
import type { Env } from "./env.js";
import { readBody } from "./http/body.js";
import { errorResponse } from "./http/errors.js";
import { authenticate, type Principal, requireAccess, touchPrincipal } from "./http/principal.js";
import type { Route } from "./http/route.js";
import { authenticateSession } from "./http/session.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { auditRoutes } from "./routes/audit.js";
import { blobRoutes } from "./routes/blobs.js";
import { costRoutes } from "./routes/cost.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { serveDashboard } from "./routes/dashboard-assets.js";
import { healthRoutes } from "./routes/health.js";
import { runnerStatusRoutes } from "./routes/runner-status.js";
import { runnerRoutes } from "./routes/runners.js";
import { runRoutes } from "./routes/runs.js";
import { snapshotRoutes } from "./routes/snapshots.js";
import { taskRoutes } from "./routes/tasks.js";
import { tokenRoutes } from "./routes/tokens.js";

/** Every route of the API, with who may call it and what body it takes (the fuzz test walks this list). */
export const ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...blobRoutes,
  ...snapshotRoutes,
  ...runRoutes,
  ...taskRoutes,
  ...artifactRoutes,
  ...costRoutes,
  ...runnerRoutes,
  ...runnerStatusRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...dashboardRoutes,
];

/**
 * The orchestrator's HTTP API. Each route runs the same checks in the same order before it
 * acts: the token (401/403) and its scope, then the body as the route declares it
 * (`readBody`: 400/413/415), then the token again from D1 when the first check came from the
 * isolate's memory (`authenticate`), then the handler, which checks ids by format before any
 * lookup.
 * `/healthz`, `/login` and `/logout` are public; an unknown path under `/v1` still needs a
 * token, then is a 404. A request without a bearer token may carry a dashboard session cookie
 * instead (`authenticateSession`); GETs outside `/v1` are the dashboard's static files.
 */
export function createRouter() {
  const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
    catch: errorResponse,
    missing: async (request, env) =>
      (await serveDashboard(request, env)) ?? errorResponse(new BernsteinError("not_found", "no such route")),
  });
  for (const r of ROUTES) {
    const register = {
      GET: router.get,
      POST: router.post,
      PUT: router.put,
      DELETE: router.delete,
    }[r.method];
    register(r.path, async (request, env, ctx) => {
      const known = r.access === "public" ? null : await caller(request, env);
      if (known) requireAccess(known, r.access);
      const body = await readBody(request, r.body);
      // Nothing acts on a remembered token: it is looked up again (a revocation holds).
      const principal = known?.provisional ? await authenticate(request, env, { fresh: true }) : known;
      if (principal) requireAccess(principal, r.access);
      const result = await r.handler({ request, env, ctx, principal, body });
      await touchPrincipal(env, principal);
      return result;
    });
  }
  router.all("/v1/*", async (request, env) => {
    await caller(request, env);
    throw new BernsteinError("not_found", `no route ${request.method} ${new URL(request.url).pathname.slice(0, 200)}`);
  });
  return router;
}

/** The dashboard's session when the request has its cookie and no bearer token, else the token's principal. */
async function caller(request: Request, env: Env): Promise<Principal> {
  return (await authenticateSession(request, env)) ?? (await authenticate(request, env));
}
