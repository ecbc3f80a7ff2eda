import { createArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError, RejectTaskRequest, type RunControlApi, TaskId, type TaskView } from "@bernstein/core";
import { createDb, getCommandsOfTask, getTask } from "@bernstein/db";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";

type Control = (c: RunControlApi, runId: string, taskId: string) => Promise<void>;

/** Task control: each goes through the run's coordinator; a wrong state is a 409. */
async function controlTask(env: Env, rawId: string | undefined, act: Control): Promise<TaskView> {
  const taskId = idParam(TaskId, rawId, "task");
  const runId = await runOfTask(env, taskId);
  const coordinator = coordinatorOf(env, runId);
  await act(coordinator, runId, taskId);
  return withCommands(env, runId, await coordinator.taskView(runId, taskId));
}

const control = (verb: string, act: Control) =>
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
    handler: ({ request, env }) => loadTaskView(env, idParam(TaskId, request.params.id, "task")),
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
      const task = await loadTaskView(env, taskId);
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

/** The run a task belongs to, from D1 (a run's tasks reach D1 before anyone sees them). */
async function runOfTask(env: Env, taskId: string): Promise<string> {
  const task = await getTask(createDb(env.STATE_DB), taskId);
  if (!task) throw new BernsteinError("not_found", `no task ${taskId}`);
  return task.runId;
}

/**
 * The coordinator's view of the task, with its commands from D1: runners claim and lease jobs
 * there, so their claims live only in D1 (the view is read settled, so D1 has every job).
 */
async function loadTaskView(env: Env, taskId: string): Promise<TaskView> {
  const runId = await runOfTask(env, taskId);
  return withCommands(env, runId, await coordinatorOf(env, runId).taskView(runId, taskId));
}

async function withCommands(env: Env, runId: string, view: Omit<TaskView, "commands">): Promise<TaskView> {
  return { ...view, commands: await getCommandsOfTask(createDb(env.STATE_DB), runId, view.id) };
}
