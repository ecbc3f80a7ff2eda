import { type ArtifactStore, keys, sha256Hex } from "@bernstein/artifacts";
import { type CommandRequest, type CommandStart, commandEventType, ExecResult, type Job } from "@bernstein/core";
import { attemptOf, isActive } from "./attempts/start.js";
import type { Ctx } from "./context.js";
import { queueJob } from "./runner-jobs.js";

/**
 * An agent's `run_command` as an exec job in the runners' queue (the queue verification uses,
 * and the same warm workspace on the runner). The job id comes from the attempt and the
 * posting step, so a workflow that repeats the step after a restart finds the job it posted,
 * or its result: a finished command never runs twice. The result is kept in R2 and sent to
 * the workflow as the event `commandEventType(jobId)`.
 */

/** Queues the command, unless the step posted it before; `runnerConnected` is asked only for a new one. */
export async function startCommand(
  c: Ctx,
  request: CommandRequest,
  runnerConnected: () => Promise<boolean>,
): Promise<CommandStart> {
  const { tx } = c;
  const jobId = await commandJobId(request);
  const known = tx.job(jobId);
  if (known) {
    const result = await commandResultOf(c.store, known);
    return result ? { kind: "done", jobId, result } : { kind: "queued", jobId };
  }
  if (!isActive(c.state, request.instanceId)) return { kind: "inactive" };
  const attempt = attemptOf(c.state, request.instanceId);
  if (!(await runnerConnected())) {
    tx.emit("log", attempt.taskId, {
      kind: "command",
      job: jobId,
      command: request.command,
      instance: attempt.id,
      problem: "no runner connected",
    });
    return { kind: "no_runner" };
  }
  const run = tx.run;
  queueJob(tx, {
    id: jobId,
    kind: "exec",
    taskId: attempt.taskId,
    attemptId: attempt.id,
    attempt: attempt.n,
    manifest: request.manifest,
    commands: [request.command],
    verify: {
      setup: run.verifySetup,
      setupInputs: run.verifySetupInputs,
      reports: [],
      signals: [],
      workspace: run.repository ?? run.id,
      maxOutputBytes: run.commands.maxOutputBytes,
    },
    timeoutSeconds: request.timeoutSeconds,
    logKey: keys.command(run.id, jobId),
  });
  tx.emit("log", attempt.taskId, {
    kind: "command.queued",
    job: jobId,
    command: request.command,
    instance: attempt.id,
  });
  return { kind: "queued", jobId };
}

/** A runner's result of an exec job: kept in R2, the job settled, the waiting workflow told. */
export async function finishCommand(c: Ctx, job: Job, result: ExecResult): Promise<void> {
  const { tx } = c;
  await c.store.putJson(job.logKey, result);
  tx.patchJob(job.id, {
    status: result.exitCode === 0 ? "passed" : "failed",
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    // The runner's time for the whole job (what `bernstein cost` adds up), not only the command's.
    durationMs: result.runnerMs,
  });
  tx.emit("log", job.taskId, {
    kind: "command",
    job: job.id,
    command: job.commands[0] ?? "",
    instance: job.attemptId,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    runnerMs: result.runnerMs,
    ...(result.error || result.setupFailure ? { problem: result.error ?? "verify.setup failed" } : {}),
  });
  if (job.attemptId && isActive(c.state, job.attemptId)) {
    tx.notify(job.attemptId, commandEventType(job.id), result);
  }
}

/** The result of a settled exec job, from R2; null while it is queued or running. */
export async function commandResultOf(store: ArtifactStore, job: Job): Promise<ExecResult | null> {
  if (job.kind !== "exec" || (job.status !== "passed" && job.status !== "failed")) return null;
  const stored = await store.getJson(job.logKey);
  return stored === null ? null : ExecResult.parse(stored);
}

async function commandJobId(request: CommandRequest): Promise<string> {
  return `j_cmd_${(await sha256Hex(`${request.instanceId}/${request.step}`)).slice(0, 32)}`;
}
