import { BernsteinError, TaskId, type TaskView } from "@bernstein/core";
import { createDb, type Db, getAttemptsOfTask, getTask } from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";

export function taskRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get("/v1/tasks/:id", async (request, env) => {
    const taskId = idParam(TaskId, request.params.id, "task");
    return loadTaskView(createDb(env.STATE_DB), taskId);
  });

  router.post("/v1/tasks/:id/cancel", async (request, env) => {
    const taskId = idParam(TaskId, request.params.id, "task");
    const db = createDb(env.STATE_DB);
    const task = await loadTaskView(db, taskId);
    await env.COORDINATOR.get(env.COORDINATOR.idFromName(task.runId)).cancelTask(task.runId, taskId);
    return loadTaskView(db, taskId);
  });
}

async function loadTaskView(db: Db, taskId: string): Promise<TaskView> {
  const task = await getTask(db, taskId);
  if (!task) throw new BernsteinError("not_found", `no task ${taskId}`);
  return { ...task, attempts: await getAttemptsOfTask(db, taskId) };
}
