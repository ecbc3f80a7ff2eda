import { createArtifactStore } from "@bernstein/artifacts";
import {
  BernsteinError,
  ClaimJobRequest,
  COMMAND_DEFAULTS,
  CreateRunnerRequest,
  ExecResult,
  type Job,
  JobResultRequest,
  parseWith,
  type RunnerJob,
} from "@bernstein/core";
import {
  type Claim,
  claimJob,
  createDb,
  type Db,
  getJob,
  insertRunner,
  releaseJob,
  releaseJobsOfReplacedRunners,
  renewJobLease,
  replaceToken,
  touchRunner,
} from "@bernstein/db";
import { z } from "zod";
import { claimGeneration, waitForJob, wakeClaims } from "../claim-wake.js";
import { leaseSecondsOf } from "../coordinator/runner-jobs.js";
import type { Env } from "../env.js";
import { idParam } from "../http/body.js";
import { forgetTokens, runnerOf } from "../http/principal.js";
import { jsonBody, NO_BODY, type Route, route } from "../http/route.js";
import { newToken, sha256Hex } from "../http/token-hash.js";
import { logger } from "../logger.js";
import { redactorOf } from "../redaction.js";
import { auditTokenChange } from "./token-audit.js";

/** How often a waiting claim looks at the queue again when no wake reaches it (`claim-wake.ts`). */
const CLAIM_POLL_MS = 200;
/** Largest verify log kept (the runner caps its output before sending). */
const MAX_LOG_BYTES = 5 * 1024 * 1024;
/** Job ids as the coordinator makes them (`j_<attempt instance>_<time>_<n>`). */
const JobId = z.string().regex(/^j_[A-Za-z0-9_-]{1,200}$/);

const jobId = (raw: string | undefined) => idParam(JobId, raw, "job");

export const runnerRoutes: Route[] = [
  /**
   * Registers a runner (admin only): a runner token under the runner's name, returned once and
   * stored as a hash. A runner registering again under its name replaces its old token, and the
   * jobs its earlier self held go back to the queue (that runner can no longer post their results).
   */
  route({
    method: "POST",
    path: "/v1/runners",
    access: "admin",
    body: jsonBody(CreateRunnerRequest, 16 * 1024),
    async handler({ env, body }) {
      const db = createDb(env.STATE_DB);
      const token = newToken("bst_runner_");
      const tokenHash = await sha256Hex(token);
      const id = `tk_${tokenHash.slice(0, 12)}`;
      const now = new Date().toISOString();
      await replaceToken(db, {
        id,
        name: body.name,
        scope: "runner",
        tokenHash,
        createdAt: now,
        lastUsedAt: null,
        revokedAt: null,
      });
      await insertRunner(db, { id, name: body.name, labels: body.labels, tokenHash, lastSeenAt: null, createdAt: now });
      if ((await releaseJobsOfReplacedRunners(db, body.name, id, new Date())) > 0) wakeClaims();
      forgetTokens(); // the token it replaced, if any
      await auditTokenChange(env, "token.register", { name: body.name, scope: "runner" });
      return Response.json({ id, name: body.name, labels: body.labels, token }, { status: 201 });
    },
  }),

  /**
   * Long poll: the oldest claimable job, or 204 after `waitSeconds`. The claim starts the lease
   * of `RUNNER_LEASE_SECONDS`; a job taken from a runner whose lease lapsed is a `job.lost`
   * event of its run.
   */
  route({
    method: "POST",
    path: "/v1/runners/jobs/claim",
    access: "runner",
    body: jsonBody(ClaimJobRequest, 16 * 1024),
    async handler({ request, env, principal, body }) {
      const runner = runnerOf(principal);
      const db = createDb(env.STATE_DB);
      await touchRunner(db, runner.id, new Date().toISOString());
      const deadline = Date.now() + body.waitSeconds * 1000;
      const leaseSeconds = leaseSecondsOf(env);
      for (;;) {
        if (request.signal?.aborted) return new Response(null, { status: 204 });
        const seen = claimGeneration();
        const claim = await claimJob(db, { runnerId: runner.id, now: new Date(), leaseSeconds });
        if (claim) {
          await reportLapsedLease(env, claim, runner.name);
          return { job: toRunnerJob(claim.job) };
        }
        if (Date.now() >= deadline || request.signal?.aborted) return new Response(null, { status: 204 });
        await waitForJob(seen, Math.min(CLAIM_POLL_MS, Math.max(0, deadline - Date.now())), request.signal);
      }
    },
  }),

  route({
    method: "POST",
    path: "/v1/runners/jobs/:id/heartbeat",
    access: "runner",
    body: NO_BODY,
    async handler({ request, env, principal }) {
      const id = jobId(request.params.id);
      const runner = runnerOf(principal);
      const db = createDb(env.STATE_DB);
      const job = await renewJobLease(db, id, runner.id, new Date());
      if (!job) throw lostLease(id);
      // A runner busy with a long job is still connected (agents' commands wait for it).
      await touchRunner(db, runner.id, new Date().toISOString());
      return { leaseExpiresAt: job.leaseExpiresAt };
    },
  }),

  /** A stopping runner hands its job back at once instead of letting the lease run out. */
  route({
    method: "POST",
    path: "/v1/runners/jobs/:id/release",
    access: "runner",
    body: NO_BODY,
    async handler({ request, env, principal }) {
      const id = jobId(request.params.id);
      const released = await releaseJob(createDb(env.STATE_DB), id, runnerOf(principal).id, new Date());
      if (!released) throw lostLease(id);
      return { released: true };
    },
  }),

  /** The job's verify log; redacted again here (the runner redacts too) before it is stored. */
  route({
    method: "PUT",
    path: "/v1/runners/jobs/:id/log",
    access: "runner",
    body: { kind: "text", maxBytes: MAX_LOG_BYTES },
    async handler({ request, env, principal, body }) {
      const job = await heldJob(createDb(env.STATE_DB), jobId(request.params.id), runnerOf(principal).id);
      const text = redactorOf(env)(body);
      await createArtifactStore(env.ARTIFACTS).putText(job.logKey, text);
      return { key: job.logKey, bytes: new TextEncoder().encode(text).byteLength };
    },
  }),

  route({
    method: "POST",
    path: "/v1/runners/jobs/:id/result",
    access: "runner",
    // A verify job's verdict or an exec job's command result; which one the job's kind decides.
    body: jsonBody(z.union([JobResultRequest, ExecResult]), 256 * 1024),
    async handler({ request, env, principal, body }) {
      const job = await heldJob(createDb(env.STATE_DB), jobId(request.params.id), runnerOf(principal).id);
      const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName(job.runId));
      const redact = redactorOf(env);
      if (job.kind === "exec") {
        const result = parseWith(ExecResult, body);
        await coordinator.commandFinished(job.runId, job.id, { ...result, output: redact(result.output) });
        return { ok: true };
      }
      const result = parseWith(JobResultRequest, body);
      await coordinator.jobResult(job.runId, job.id, { ...result, tail: redact(result.tail) });
      return { ok: true };
    },
  }),
];

/**
 * Tells the job's coordinator that the runner before this one lost the job's lease (a
 * `job.lost` event). The claim stands either way: a failure here is logged, not the runner's.
 */
async function reportLapsedLease(env: Env, { job, lapsed }: Claim, takenBy: string): Promise<void> {
  if (!lapsed) return;
  const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName(job.runId));
  try {
    await coordinator.jobLost(job.runId, {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempt,
      runner: lapsed.name ?? lapsed.runnerId,
      takenBy,
    });
  } catch (error) {
    logger.error("could not record a lost lease", error, { runId: job.runId, jobId: job.id });
  }
}

/** The job, if this runner still holds it; else 404 or 409 (`conflict`: the lease was lost). */
async function heldJob(db: Db, id: string, runnerId: string): Promise<Job> {
  const job = await getJob(db, id);
  if (!job) throw new BernsteinError("not_found", `no job ${id}`);
  if (job.status !== "running" || job.runnerId !== runnerId) throw lostLease(id);
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
