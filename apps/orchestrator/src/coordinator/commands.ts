import { type ArtifactStore, keys, sha256Hex } from "@bernstein/artifacts";
import {
  type CommandRequest,
  type CommandStart,
  commandEventType,
  ExecResult,
  type Job,
  RUNNER_CONNECTED_SECONDS,
} from "@bernstein/core";
import { countRunnersSeenSince, type Db, getJob } from "@bernstein/db";
import { attemptOf, isActive } from "./attempt-start.js";
import type { Ctx } from "./outcomes.js";
import { LEASE_SECONDS } from "./verification.js";

/**
 * An agent's `run_command` as an exec job in the runners' queue (the queue verification uses,
 * and the same warm workspace on the runner). The job id comes from the attempt and the
 * posting step, so a workflow that repeats the step after a restart finds the job it posted,
 * or its result: a finished command never runs twice. The result is kept in R2 and sent to
 * the workflow as the event `commandEventType(jobId)`.
 */

export async function startCommand(c: Ctx, db: Db, request: CommandRequest): Promise<CommandStart> {
  const { tx } = c;
  const jobId = await commandJobId(request);
  const known = await getJob(db, jobId);
  if (known) {
    const result = await commandResultOf(c.store, known);
    return result ? { kind: "done", jobId, result } : { kind: "queued", jobId };
  }
  if (!isActive(c.state, request.instanceId)) return { kind: "inactive" };
  const attempt = attemptOf(c.state, request.instanceId);
  const since = new Date(Date.parse(tx.now) - RUNNER_CONNECTED_SECONDS * 1000).toISOString();
  if ((await countRunnersSeenSince(db, since)) === 0) {
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
  tx.insertJob({
    id: jobId,
    runId: run.id,
    kind: "exec",
    taskId: attempt.taskId,
    attemptId: attempt.id,
    attempt: attempt.n,
    status: "queued",
    manifest: request.manifest,
    baseCommit: run.baseCommit,
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
    leaseSeconds: LEASE_SECONDS,
    labels: [],
    runnerId: null,
    leaseExpiresAt: null,
    claims: 0,
    exitCode: null,
    timedOut: false,
    durationMs: null,
    tail: null,
    logKey: keys.command(run.id, jobId),
    createdAt: tx.now,
    updatedAt: tx.now,
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
  if (job.status !== "passed" && job.status !== "failed") return null;
  const stored = await store.getJson(job.logKey);
  return stored === null ? null : ExecResult.parse(stored);
}

async function commandJobId(request: CommandRequest): Promise<string> {
  return `j_cmd_${(await sha256Hex(`${request.instanceId}/${request.step}`)).slice(0, 32)}`;
}
