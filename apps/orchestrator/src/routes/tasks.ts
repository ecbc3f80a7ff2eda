import { createArtifactStore, keys } from "@bernstein/artifacts";
import { BernsteinError, RejectTaskRequest, type RunControlApi, TaskId, type TaskView } from "@bernstein/core";
import { createDb, getTask } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import { coordinatorOf } from "../coordinator-stub.js";
import type { Env } from "../env.js";
import { idParam, readJson } from "../http/body.js";

export function taskRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get("/v1/tasks/:id", async (request, env) => {
    const taskId = idParam(TaskId, request.params.id, "task");
    return loadTaskView(env, taskId);
  });

  /** Task control: each goes through the run's coordinator; a wrong state is a 409. */
  const control = (
    verb: string,
    act: (c: RunControlApi, runId: string, taskId: string, body: unknown) => Promise<void>,
  ) =>
    router.post(`/v1/tasks/:id/${verb}`, async (request, env) => {
      const taskId = idParam(TaskId, request.params.id, "task");
      const runId = await runOfTask(env, taskId);
      const body = verb === "reject" ? await readJson(request, RejectTaskRequest) : {};
      const coordinator = coordinatorOf(env, runId);
      await act(coordinator, runId, taskId, body);
      return coordinator.taskView(runId, taskId);
    });
  control("cancel", (c, runId, taskId) => c.cancelTask(runId, taskId));
  control("approve", (c, runId, taskId) => c.approve(runId, taskId));
  control("reject", (c, runId, taskId, body) => c.reject(runId, taskId, (body as { reason: string }).reason));
  control("retry", (c, runId, taskId) => c.retry(runId, taskId));

  /** The verify log of the task's latest attempt (or `?attempt=N`), as text. */
  router.get("/v1/tasks/:id/logs", async (request, env) => {
    const taskId = idParam(TaskId, request.params.id, "task");
    const task = await loadTaskView(env, taskId);
    const n = request.query.attempt === undefined ? task.attempt : Number(request.query.attempt);
    if (!Number.isInteger(n) || n < 1 || n > task.attempt)
      throw new BernsteinError("not_found", `task ${taskId} has no attempt ${String(request.query.attempt ?? n)}`);
    const text = await createArtifactStore(env.ARTIFACTS).getText(keys.attempt(task.runId, taskId, n, "verify.log"));
    if (text === null) throw new BernsteinError("not_found", `attempt ${n} of task ${taskId} has no verify log yet`);
    return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
  });
}

/** The run a task belongs to, from D1 (a run's tasks reach D1 before anyone sees them). */
async function runOfTask(env: Env, taskId: string): Promise<string> {
  const task = await getTask(createDb(env.STATE_DB), taskId);
  if (!task) throw new BernsteinError("not_found", `no task ${taskId}`);
  return task.runId;
}

async function loadTaskView(env: Env, taskId: string): Promise<TaskView> {
  const runId = await runOfTask(env, taskId);
  return coordinatorOf(env, runId).taskView(runId, taskId);
}
