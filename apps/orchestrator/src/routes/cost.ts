import { RunId, roundUsd } from "@bernstein/core";
import { createDb, getCostEvents } from "@bernstein/db";
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

async function costReport(db: ReturnType<typeof createDb>, runId?: string) {
  const events = await getCostEvents(db, runId ? { runId } : {});
  return { totalUsd: roundUsd(events.reduce((sum, e) => sum + e.costUsd, 0)), events };
}
