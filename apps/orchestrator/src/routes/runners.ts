import { createArtifactStore } from "@bernstein/artifacts";
import {
  BernsteinError,
  ClaimJobRequest,
  COMMAND_DEFAULTS,
  CreateRunnerRequest,
  ExecResult,
  type Job,
  JobResultRequest,
  makeId,
  type RunnerJob,
} from "@bernstein/core";
import {
  claimJob,
  createDb,
  type Db,
  getJob,
  insertRunner,
  type Runner,
  releaseJob,
  renewJobLease,
  touchRunner,
} from "@bernstein/db";
import type { IRequest, RouterType } from "itty-router";
import type { Env } from "../env.js";
import { readJson } from "../http/body.js";
import { requireRunner, tokenHash } from "../http/principal.js";

/** How often a waiting claim looks at the queue again. */
const CLAIM_POLL_MS = 200;
/** Largest verify log kept (the runner caps its output before sending). */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function runnerRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  /** Registers a runner (owner only): its token is returned once and stored as a hash. */
  router.post("/v1/runners", async (request, env) => {
    if (request.principal?.kind !== "owner")
      throw new BernsteinError("forbidden", "only the stack's owner registers runners");
    const body = await readJson(request, CreateRunnerRequest);
    const id = makeId("x", crypto.getRandomValues(new Uint8Array(12)));
    const token = `bst_runner_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
    await insertRunner(createDb(env.STATE_DB), {
      id,
      name: body.name,
      labels: body.labels,
      tokenHash: await tokenHash(token),
      lastSeenAt: null,
      createdAt: new Date().toISOString(),
    });
    return Response.json({ id, name: body.name, labels: body.labels, token }, { status: 201 });
  });

  /** Long poll: the oldest claimable job, or 204 after `waitSeconds`. */
  router.post("/v1/runners/jobs/claim", async (request, env) => {
    const runner = requireRunner(request.principal);
    const { waitSeconds } = await readJson(request, ClaimJobRequest);
    const db = createDb(env.STATE_DB);
    await touchRunner(db, runner.id, new Date().toISOString());
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      if (request.signal?.aborted) return new Response(null, { status: 204 });
      const job = await claimJob(db, { runnerId: runner.id, now: new Date() });
      if (job) return { job: toRunnerJob(job) };
      if (Date.now() >= deadline || request.signal?.aborted) return new Response(null, { status: 204 });
      await scheduler.wait(CLAIM_POLL_MS);
    }
  });

  router.post("/v1/runners/jobs/:id/heartbeat", async (request, env) => {
    const runner = requireRunner(request.principal);
    const db = createDb(env.STATE_DB);
    const job = await renewJobLease(db, String(request.params.id), runner.id, new Date());
    if (!job) throw lostLease(String(request.params.id));
    // A runner busy with a long job is still connected (agents' commands wait for it).
    await touchRunner(db, runner.id, new Date().toISOString());
    return { leaseExpiresAt: job.leaseExpiresAt };
  });

  /** A stopping runner hands its job back at once instead of letting the lease run out. */
  router.post("/v1/runners/jobs/:id/release", async (request, env) => {
    const runner = requireRunner(request.principal);
    const released = await releaseJob(createDb(env.STATE_DB), String(request.params.id), runner.id, new Date());
    if (!released) throw lostLease(String(request.params.id));
    return { released: true };
  });

  router.put("/v1/runners/jobs/:id/log", async (request, env) => {
    const job = await heldJob(createDb(env.STATE_DB), String(request.params.id), requireRunner(request.principal));
    const text = await request.text();
    if (text.length > MAX_LOG_BYTES)
      throw new BernsteinError("payload_too_large", `the log is over ${MAX_LOG_BYTES} bytes`);
    await createArtifactStore(env.ARTIFACTS).putText(job.logKey, text);
    return { key: job.logKey, bytes: text.length };
  });

  router.post("/v1/runners/jobs/:id/result", async (request, env) => {
    const job = await heldJob(createDb(env.STATE_DB), String(request.params.id), requireRunner(request.principal));
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName(job.runId));
    if (job.kind === "exec") {
      await coordinator.commandFinished(job.runId, job.id, await readJson(request, ExecResult));
      return { ok: true };
    }
    const result = await readJson(request, JobResultRequest);
    await coordinator.jobResult(job.runId, job.id, result);
    return { ok: true };
  });
}

/** The job, if this runner still holds it; else 404 or 409 (`conflict`: the lease was lost). */
async function heldJob(db: Db, id: string, runner: Runner): Promise<Job> {
  const job = await getJob(db, id);
  if (!job) throw new BernsteinError("not_found", `no job ${id}`);
  if (job.status !== "running" || job.runnerId !== runner.id) throw lostLease(id);
  return job;
}

function lostLease(id: string): BernsteinError {
  return new BernsteinError("conflict", `job ${id} is no longer held by this runner (its lease expired or it ended)`);
}

function toRunnerJob(job: Job): RunnerJob {
  const leaseExpiresAt = job.leaseExpiresAt ?? new Date().toISOString();
  if (job.kind === "exec") {
    return {
      id: job.id,
      runId: job.runId,
      kind: "exec",
      taskId: job.taskId ?? "",
      attempt: job.attempt ?? 1,
      manifest: job.manifest,
      baseCommit: job.baseCommit,
      workspace: job.verify.workspace,
      command: job.commands[0] ?? "",
      setup: job.verify.setup,
      setupInputs: job.verify.setupInputs,
      timeoutSeconds: job.timeoutSeconds,
      maxOutputBytes: job.verify.maxOutputBytes ?? COMMAND_DEFAULTS.maxOutputBytes,
      leaseSeconds: job.leaseSeconds,
      leaseExpiresAt,
    };
  }
  return {
    id: job.id,
    runId: job.runId,
    kind: job.kind,
    taskId: job.taskId,
    attempt: job.attempt,
    manifest: job.manifest,
    baseCommit: job.baseCommit,
    workspace: job.verify.workspace,
    commands: job.commands,
    setup: job.verify.setup,
    setupInputs: job.verify.setupInputs,
    reports: job.verify.reports,
    signals: job.verify.signals,
    timeoutSeconds: job.timeoutSeconds,
    leaseSeconds: job.leaseSeconds,
    leaseExpiresAt,
  };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
