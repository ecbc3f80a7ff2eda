import { type CostReport, RunId } from "@bernstein/core";
import { costTotals, createDb, runnerSeconds } from "@bernstein/db";
import { coordinatorOf } from "../coordinator-stub.js";
import { idParam } from "../http/body.js";
import { NO_BODY, type Route, route } from "../http/route.js";

export const costRoutes: Route[] = [
  /** Spend across runs, from D1 (the read model). */
  route({
    method: "GET",
    path: "/v1/cost",
    access: "admin",
    body: NO_BODY,
    handler: async ({ env }): Promise<CostReport> => {
      const db = createDb(env.STATE_DB);
      const [totals, runner] = await Promise.all([costTotals(db), runnerSeconds(db)]);
      return { ...totals, events: [], runnerSeconds: runner };
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
