import type { BernsteinClient } from "@bernstein/client";
import { BernsteinError, TaskId } from "@bernstein/core";
import type { OptionSpec } from "./define.js";
import { newestRunId } from "./select-run.js";

/** `--run <id>`: the run whose plan ids (`t1`) a task argument names. */
export const RUN_OPTION: OptionSpec = {
  flags: "--run <id>",
  description: "the run a plan id such as t1 belongs to (default: the newest run)",
};

/** How a command describes its task argument in --help. */
export const TASK_ARG_DESCRIPTION = "the task: its id (t_...) or its plan id (t1) in --run RUN or the newest run";

/**
 * The task id a task argument names: a task id (`t_0123456789ab`) as it is, else the task of
 * that plan id (`t1`, as `bernstein tasks` shows it) in `runId` or, without one, the newest run.
 */
export async function resolveTaskRef(client: BernsteinClient, ref: string, runId?: string): Promise<string> {
  if (TaskId.safeParse(ref).success) return ref;
  const run = runId ?? (await newestRunId(client));
  if (run === undefined) {
    throw new BernsteinError("task_not_found", `no task ${ref}: this stack has no runs yet`, {
      details: { fix: 'Start a run with `bernstein run --goal "..."`; `bernstein tasks` then lists its tasks.' },
    });
  }
  const tasks = await client.listTasks(run);
  const task = tasks.find((t) => t.planId === ref);
  if (task) return task.id;
  const known = [...tasks].sort((a, b) => a.order - b.order).map((t) => t.planId);
  const listed = known.length > 0 ? ` (its plan ids: ${known.join(", ")})` : " (it has no tasks yet)";
  throw new BernsteinError("task_not_found", `run ${run} has no task ${ref}${listed}`, {
    details: {
      fix: `\`bernstein tasks ${run}\` lists the run's tasks with their ids and plan ids; name another run with --run RUN.`,
    },
  });
}
