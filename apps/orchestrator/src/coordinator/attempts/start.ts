import { type AttemptContext, BernsteinError, DEFAULTS, isTerminalRunStatus } from "@bernstein/core";
import type { Ctx } from "../context.js";
import type { LoadedRun } from "../loaded-run.js";

/**
 * An attempt's first step: the task goes `in_progress`, and the attempt gets what it needs.
 * Idempotent: a later call for the same instance returns the same context (it is made from
 * the attempt and the run, which do not change while it runs) marked `resumed`, so only such
 * an instance reads back its journal.
 */
export async function startAttempt(
  c: Ctx,
  instanceId: string,
  feedback: (taskId: string) => string | null,
): Promise<AttemptContext> {
  const attempt = attemptOf(c.state, instanceId);
  const task = c.tx.task(attempt.taskId);
  const active = isActive(c.state, instanceId);
  const starting = active && task.status === "claimed";
  if (starting) {
    c.tx.setTaskStatus(task.id, "in_progress");
    c.tx.emit("attempt.started", task.id, { instance: instanceId, attempt: attempt.n, model: attempt.model });
  }
  return {
    runId: c.state.run.id,
    taskId: task.id,
    instanceId,
    attempt: attempt.n,
    model: attempt.model,
    maxTurns: DEFAULTS.maxTurns,
    maxOutputTokens: DEFAULTS.maxOutputTokens,
    baseSeq: attempt.baseSeq,
    baseManifest: await c.state.integrationManifest(c.store, attempt.baseSeq),
    task: {
      title: task.title,
      description: task.description,
      role: task.role,
      ownedFiles: task.ownedFiles,
      completionSignals: task.completionSignals,
    },
    goal: c.state.run.goal,
    feedback: feedback(task.id),
    commands: c.state.run.commands,
    verifyCommands: c.state.run.verifyCommands,
    active,
    resumed: !starting,
  };
}

export function attemptOf(state: LoadedRun, instanceId: string) {
  const attempt = state.attempts.get(instanceId);
  if (!attempt) throw new BernsteinError("not_found", `no attempt ${instanceId} in run ${state.run.id}`);
  return attempt;
}

/** An attempt goes on while it is its task's current attempt and neither is finished. */
export function isActive(state: LoadedRun, instanceId: string): boolean {
  const attempt = state.attempts.get(instanceId);
  const task = attempt ? state.tasks.get(attempt.taskId) : undefined;
  return (
    attempt?.status === "running" &&
    task !== undefined &&
    task.attempt === attempt.n &&
    (task.status === "claimed" || task.status === "in_progress") &&
    !isTerminalRunStatus(state.run.status)
  );
}
