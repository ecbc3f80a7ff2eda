import { type CostReport, RunId } from "@bernstein/core";
import { allRunsCostReport, createDb } from "@bernstein/db";
import { coordinatorOf } from "../coordinator-stub.js";
import { idParam } from "../http/body.js";
import { NO_BODY, type Route, route } from "../http/route.js";

export const costRoutes: Route[] = [
  /** Spend across runs, from D1 (the read model): every run, one without spend at $0. */
  route({
    method: "GET",
    path: "/v1/cost",
    access: "admin",
    body: NO_BODY,
    handler: ({ env }): Promise<CostReport> => {
      return allRunsCostReport(createDb(env.STATE_DB), Date.now());
    },
  }),
  /** One run's spend, from its coordinator. */
  route({
    method: "GET",
    path: "/v1/runs/:id/cost",
    access: "admin",
    body: NO_BODY,
    handler: ({ request, env }) => {
      const runId = idParam(RunId, request.params.id, "run");
      return coordinatorOf(env, runId).costReport(runId);
    },
  }),
];
