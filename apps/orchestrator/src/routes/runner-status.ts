import { BernsteinError, RUNNER_CONNECTED_SECONDS, RunId, type RunnerStatus } from "@bernstein/core";
import { countWaitingJobs, createDb, getRun, listRunners } from "@bernstein/db";
import { idParam } from "../http/body.js";
import { NO_BODY, type Route, route } from "../http/route.js";

export const runnerStatusRoutes: Route[] = [
  /**
   * The registered runners (never their tokens), how many are connected, and the jobs waiting
   * for one, of `?run=RUN` or of every run: what the monitor and `cloud status` show as
   * "no runner connected", and what a script waits on before it starts work.
   */
  route({
    method: "GET",
    path: "/v1/runners",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }): Promise<RunnerStatus> {
      const db = createDb(env.STATE_DB);
      const raw = request.query.run;
      const runId = raw === undefined ? undefined : idParam(RunId, String(raw), "run");
      if (runId && !(await getRun(db, runId))) throw new BernsteinError("not_found", `no run ${runId}`);
      const now = new Date();
      const since = now.getTime() - RUNNER_CONNECTED_SECONDS * 1000;
      const [rows, waiting] = await Promise.all([
        listRunners(db),
        countWaitingJobs(db, { now, ...(runId ? { runId } : {}) }),
      ]);
      const runners = rows.map((r) => ({
        id: r.id,
        name: r.name,
        labels: r.labels,
        lastSeenAt: r.lastSeenAt,
        connected: r.lastSeenAt !== null && Date.parse(r.lastSeenAt) >= since,
      }));
      return {
        runners,
        connected: runners.filter((r) => r.connected).length,
        waiting: { commands: waiting.exec, verifications: waiting.candidate + waiting.baseline },
      };
    },
  }),
];
