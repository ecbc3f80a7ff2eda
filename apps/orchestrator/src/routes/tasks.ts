import { createArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError, RejectTaskRequest, TaskId, type TaskView } from "@bernstein/core";
import { createDb, type Db, getAttemptsOfTask, getCommandsOfTask, getTask } from "@bernstein/db";
import type { RunCoordinator } from "../coordinator/run-coordinator.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";

type RunCoordinatorStub = DurableObjectStub<RunCoordinator>;

/** Task control: each goes through the run's coordinator; a wrong state is a 409. */
async function controlTask(
  env: Env,
  rawId: string | undefined,
  act: (c: RunCoordinatorStub, runId: string, taskId: string) => Promise<void>,
) {
  const taskId = idParam(TaskId, rawId, "task");
  const db = createDb(env.STATE_DB);
  const task = await loadTaskView(db, taskId);
  await act(env.COORDINATOR.get(env.COORDINATOR.idFromName(task.runId)), task.runId, taskId);
  return loadTaskView(db, taskId);
}

const control = (verb: string, act: (c: RunCoordinatorStub, runId: string, taskId: string) => Promise<void>) =>
  route({
    method: "POST",
    path: `/v1/tasks/:id/${verb}`,
    access: "admin",
    body: NO_BODY,
    handler: ({ request, env }) => controlTask(env, request.params.id, act),
  });

export const taskRoutes: Route[] = [
  route({
    method: "GET",
    path: "/v1/tasks/:id",
    access: "admin",
    body: NO_BODY,
    handler: ({ request, env }) => loadTaskView(createDb(env.STATE_DB), idParam(TaskId, request.params.id, "task")),
  }),
  control("cancel", (c, runId, taskId) => c.cancelTask(runId, taskId)),
  control("approve", (c, runId, taskId) => c.approve(runId, taskId)),
  route({
    method: "POST",
    path: "/v1/tasks/:id/reject",
    access: "admin",
    body: jsonBody(RejectTaskRequest, 16 * 1024),
    handler: ({ request, env, body }) =>
      controlTask(env, request.params.id, (c, runId, taskId) => c.reject(runId, taskId, body.reason)),
  }),
  control("retry", (c, runId, taskId) => c.retry(runId, taskId)),

  /** The verify log of the task's latest attempt (or `?attempt=N`), as text. */
  route({
    method: "GET",
    path: "/v1/tasks/:id/logs",
    access: "admin",
    body: NO_BODY,
    async handler({ request, env }) {
      const taskId = idParam(TaskId, request.params.id, "task");
      const task = await loadTaskView(createDb(env.STATE_DB), taskId);
      const raw = request.query.attempt;
      const n = raw === undefined ? task.attempt : /^\d{1,6}$/.test(String(raw)) ? Number(raw) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > task.attempt) {
        throw new BernsteinError("not_found", `task ${taskId} has no attempt ${String(raw ?? n).slice(0, 20)}`);
      }
      const key = keys.attempt(task.runId, taskId, n, "verify.log");
      const text = await createArtifactStore(env.ARTIFACTS).getText(key);
      if (text === null) throw new BernsteinError("not_found", `attempt ${n} of task ${taskId} has no verify log yet`);
      return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  }),
];

async function loadTaskView(db: Db, taskId: string): Promise<TaskView> {
  const task = await getTask(db, taskId);
  if (!task) throw new BernsteinError("not_found", `no task ${taskId}`);
  const [attempts, commands] = await Promise.all([
    getAttemptsOfTask(db, taskId),
    getCommandsOfTask(db, task.runId, taskId),
  ]);
  return { ...task, attempts, commands };
}
