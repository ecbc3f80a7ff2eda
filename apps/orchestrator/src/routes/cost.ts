import { type CostReport, RunId } from "@bernstein/core";
import { costTotals, createDb } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";

export function costRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  /** Spend across runs, from D1 (the read model). */
  router.get(
    "/v1/cost",
    async (_request, env): Promise<CostReport> => ({
      ...(await costTotals(createDb(env.STATE_DB))),
      events: [],
    }),
  );

  /** One run's spend, from its coordinator. */
  router.get("/v1/runs/:id/cost", async (request, env) => {
    const runId = idParam(RunId, request.params.id, "run");
    return coordinatorOf(env, runId).costReport(runId);
  });
}
