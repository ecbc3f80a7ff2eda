import { type CostReport, RunId } from "@bernstein/core";
import { costTotals, createDb, type Db, getCostEvents, runnerSeconds } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { loadRunView } from "../views.js";

export function costRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get("/v1/cost", async (_request, env) => costReport(createDb(env.STATE_DB)));

  router.get("/v1/runs/:id/cost", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    const db = createDb(env.STATE_DB);
    await loadRunView(db, runId);
    return costReport(db, runId);
  });
}

async function costReport(db: Db, runId?: string): Promise<CostReport> {
  const filter = runId ? { runId } : {};
  const [totals, events, runner] = await Promise.all([
    costTotals(db, filter),
    runId ? getCostEvents(db, { runId }) : Promise.resolve([]),
    runnerSeconds(db, filter),
  ]);
  return { ...totals, events, runnerSeconds: runner };
}
