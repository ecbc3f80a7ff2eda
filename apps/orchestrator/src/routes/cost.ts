import { type CostReport, RunId } from "@bernstein/core";
import { costTotals, createDb, type Db, getCostEvents, runnerSeconds } from "@bernstein/db";
import { idParam } from "../http/body.js";
import { NO_BODY, type Route, route } from "../http/route.js";
import { loadRunView } from "../views.js";

export const costRoutes: Route[] = [
  route({
    method: "GET",
    path: "/v1/cost",
    access: "admin",
    body: NO_BODY,
    handler: ({ env }) => costReport(createDb(env.STATE_DB)),
  }),
  route({
    method: "GET",
    path: "/v1/runs/:id/cost",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const runId = idParam(RunId, request.params.id, "run");
      const db = createDb(env.STATE_DB);
      await loadRunView(db, runId);
      return costReport(db, runId);
    },
  }),
];

async function costReport(db: Db, runId?: string): Promise<CostReport> {
  const filter = runId ? { runId } : {};
  const [totals, events, runner] = await Promise.all([
    costTotals(db, filter),
    runId ? getCostEvents(db, { runId }) : Promise.resolve([]),
    runnerSeconds(db, filter),
  ]);
  return { ...totals, events, runnerSeconds: runner };
}
