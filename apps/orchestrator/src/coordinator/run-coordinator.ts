import { DurableObject } from "cloudflare:workers";
import { type ArtifactStore, createArtifactStore } from "@bernstein/artifacts";
import {
  type AttemptContext,
  type AttemptDecision,
  type AttemptReport,
  type AttemptSubmission,
  BernsteinError,
  type BudgetAnswer,
  type BudgetRequest,
  type CommandRequest,
  type CommandStart,
  type CoordinatorApi,
  DEFAULTS,
  type ErrorJson,
  type ExecResult,
  isTerminalRunStatus,
  JobResultRequest,
  type Plan,
  type PlanContext,
  planInstanceId,
  type Run,
  toTransportError,
  type UsageEntry,
} from "@bernstein/core";
import { createDb, type Db, getAuditEvents, getEventsAfter, getJob } from "@bernstein/db";
import { sealAudit } from "../audit/seal.js";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { redactorOf } from "../redaction.js";
import { approveTask, rejectTask } from "./approvals.js";
import { attemptOf, isActive, startAttempt } from "./attempt-start.js";
import { addBudget, pauseIfSpent, reserve } from "./budget.js";
import { commandResultOf, finishCommand, startCommand } from "./commands.js";
import { EventStream } from "./event-stream.js";
import { createAttempts, deliverNotices, isDuplicateInstance, restartInstances, staleInstances } from "./instances.js";
import { writeIntegration } from "./integration.js";
import { finishIfDone } from "./lifecycle.js";
import { enqueue, settleVerification } from "./merge-queue.js";
import { type Ctx, failAttempt, repeatsFailedPatch } from "./outcomes.js";
import { acceptPlan, cancelRun, cancelTask, recordUsage, retryTask } from "./run-operations.js";
import { RunState } from "./run-state.js";
import { claimReady, type Dispatch } from "./scheduling.js";
import { SerialQueue } from "./serial-queue.js";
import { Tx } from "./tx.js";

/** What the API route hands the coordinator to create a run. */
export interface CreateRunCommand {
  run: Run;
  plan: Plan | null;
  idempotencyKey: string | null;
  /** SHA-256 of the request's canonical JSON (without the key): a reused key must bring the same request. */
  requestSha256: string;
}

/**
 * One run's coordinator: the run's single writer. Every change runs through `mutate`: one at a
 * time (`SerialQueue`), built as a `Tx`, written to D1 in one batch, then published to live
 * subscribers, sent to waiting workflows, and followed by scheduling, which is event-driven:
 * it runs after every change that can free a slot. The decisions themselves live in the
 * modules next to this file; this class is the RPC surface.
 */
export class RunCoordinator extends DurableObject<Env> implements CoordinatorApi {
  private state: RunState | undefined;
  private readonly queue = new SerialQueue();
  private readonly stream: EventStream;
  /** This start of the stack (`STACK_BOOT_ID`, set by the local stack; constant on Cloudflare). */
  private readonly bootId: string;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.bootId = env.STACK_BOOT_ID ?? "cloudflare";
    const seconds = Number(env.EVENT_STREAM_MAX_SECONDS);
    this.stream = new EventStream(Number.isFinite(seconds) && seconds > 0 ? seconds : undefined);
  }

  // ---- called by the API --------------------------------------------------------------

  /** Creates the run (idempotent by run id) and starts planning, or the plan given. */
  async create(command: CreateRunCommand): Promise<void> {
    const { run, plan, idempotencyKey, requestSha256 } = command;
    const created = await this.serial(async () => {
      if (await this.tryLoad(run.id)) return false;
      await writeIntegration(this.store, run.id, {
        seq: 0,
        manifest: run.baseSnapshot,
        taskId: null,
        at: run.createdAt,
      });
      const state = new RunState(run, new Map(), new Map(), 1, new Set());
      const tx = this.newTx(state);
      tx.insertRun(idempotencyKey);
      tx.emit("run.created", null, { goal: run.goal, model: run.model, maxAgents: run.maxAgents });
      tx.audit("user", "run.create", {
        goal: run.goal,
        model: run.model,
        budgetUsd: run.budgetUsd,
        request: requestSha256,
      });
      if (!plan) tx.memory.boots[planInstanceId(run.id)] = this.bootId;
      await this.commit(tx, state);
      this.state = state;
      return true;
    });
    if (!created) return;
    if (plan) await this.mutate(run.id, (c) => acceptPlan(c, plan, this.db));
    else await this.startPlanning(run.id);
  }

  async cancel(runId: string): Promise<void> {
    await this.mutate(runId, (c) => cancelRun(c));
  }

  async cancelTask(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => cancelTask(c, taskId));
  }

  async approve(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => approveTask(c, taskId));
  }

  async reject(runId: string, taskId: string, reason: string): Promise<void> {
    await this.mutate(runId, (c) => rejectTask(c, taskId, reason));
  }

  async retry(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => retryTask(c, taskId));
  }

  async addBudget(runId: string, addUsd: number): Promise<void> {
    await this.mutate(runId, (c) => addBudget(c, addUsd));
  }

  /** Links a change outside the run that bears on it (a token created or revoked) into its chain, until it ends. */
  async auditLink(runId: string, actor: string, action: string, data: Record<string, unknown>): Promise<void> {
    await this.mutate(runId, (c) => {
      if (!isTerminalRunStatus(c.tx.run.status)) c.tx.audit(actor, action, data);
    });
  }

  /**
   * The chain's head as the coordinator recorded it: an anchor for verifying an unfinished run.
   * It waits for the operations before it, so a seal due is written once it answers.
   */
  async auditHead(runId: string): Promise<{ seq: number; hmac: string }> {
    const state = await this.serial(() => this.load(runId));
    return { ...state.memory.audit };
  }

  /** A runner's verdict (the API checked that the runner still held the job's lease). */
  async jobResult(runId: string, jobId: string, result: JobResultRequest): Promise<void> {
    await this.mutate(runId, async (c) => {
      const job = await getJob(this.db, jobId);
      if (job?.status !== "running") return;
      c.tx.patchJob(jobId, {
        status: result.passed ? "passed" : "failed",
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
        tail: result.tail,
      });
      await settleVerification(c, job, JobResultRequest.parse(result));
    });
  }

  /** A runner's result of an agent's command (the API checked that the runner held the job). */
  async commandFinished(runId: string, jobId: string, result: ExecResult): Promise<void> {
    await this.mutate(runId, async (c) => {
      const job = await getJob(this.db, jobId);
      if (job?.status === "running") await finishCommand(c, job, result);
    });
  }

  /** SSE: `GET /events?run=<id>&after=<seq>` replays the log after `seq`, then follows it. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const runId = url.searchParams.get("run") ?? "";
    const after = Math.max(0, Number.parseInt(url.searchParams.get("after") ?? "0", 10) || 0);
    return this.serial(async () => {
      const state = await this.load(runId);
      const backlog = [];
      for (let from = after; ; ) {
        const page = await getEventsAfter(this.db, runId, from, 1000);
        backlog.push(...page);
        if (page.length < 1000) break;
        from = page[page.length - 1]?.seq ?? from;
      }
      return this.stream.open(backlog, isTerminalRunStatus(state.run.status));
    });
  }

  // ---- called by PlanWorkflow ----------------------------------------------------------

  async planContext(runId: string): Promise<PlanContext> {
    const { run } = await this.serial(() => this.load(runId));
    return {
      runId,
      goal: run.goal,
      baseSnapshot: run.baseSnapshot,
      plannerModel: run.plannerModel,
      repoViewTokens: DEFAULTS.planTokenBudget,
      cancelled: run.status !== "planning",
      commandsEnabled: run.commands.enabled,
    };
  }

  async planAccepted(runId: string, plan: Plan): Promise<void> {
    await this.mutate(runId, (c) => (c.tx.run.status === "planning" ? acceptPlan(c, plan, this.db) : undefined));
  }

  async planFailed(runId: string, error: ErrorJson): Promise<void> {
    await this.mutate(runId, (c) => {
      if (c.tx.run.status !== "planning") return;
      c.tx.emit("plan.rejected", null, { error });
      c.tx.setRunStatus("failed", { error });
    });
  }

  // ---- called by TaskWorkflow ----------------------------------------------------------

  async attemptStarted(runId: string, instanceId: string): Promise<AttemptContext> {
    return this.mutate(runId, (c) => startAttempt(c, instanceId, this.ctx.storage));
  }

  async reserveBudget(runId: string, request: BudgetRequest): Promise<BudgetAnswer> {
    return this.mutate(runId, (c) => {
      if (request.instanceId === planInstanceId(runId)) return reserve(c, request, null);
      if (!isActive(c.state, request.instanceId)) return { kind: "inactive" };
      return reserve(c, request, attemptOf(c.state, request.instanceId).taskId);
    });
  }

  async recordUsage(runId: string, entry: UsageEntry): Promise<void> {
    await this.mutate(runId, (c) => recordUsage(c, entry));
  }

  async submitAttempt(runId: string, submission: AttemptSubmission): Promise<AttemptDecision> {
    return this.mutate(runId, async (c) => {
      if (!isActive(c.state, submission.instanceId)) {
        return { kind: "failed", error: { code: "illegal_transition", message: "the attempt is no longer active" } };
      }
      const attempt = c.tx.patchAttempt(submission.instanceId, {
        turns: submission.turns,
        summary: submission.summary,
        resultManifest: submission.resultManifest,
        patchKey: submission.patchKey,
        patchSha256: submission.patchSha256,
      });
      c.tx.emit("attempt.finished", attempt.taskId, {
        instance: attempt.id,
        outcome: "submitted",
        files: submission.changedFiles.length,
      });
      if (repeatsFailedPatch(c, attempt.taskId, submission.patchSha256)) {
        const error: ErrorJson = { code: "no_progress", message: "the patch is the same as a failed attempt's" };
        await failAttempt(c, attempt.id, error);
        return { kind: "failed", error };
      }
      return enqueue(c, attempt);
    });
  }

  async startCommand(runId: string, request: CommandRequest): Promise<CommandStart> {
    return this.mutate(runId, (c) => startCommand(c, this.db, request));
  }

  async commandResult(runId: string, jobId: string): Promise<ExecResult | null> {
    await this.serial(() => this.load(runId));
    const job = await getJob(this.db, jobId);
    return job?.runId === runId ? commandResultOf(this.store, job) : null;
  }

  async decisionFor(runId: string, instanceId: string): Promise<AttemptDecision | null> {
    const state = await this.serial(() => this.load(runId));
    return state.memory.decisions[instanceId] ?? null;
  }

  /**
   * Restarts the workflows a previous start of the stack left running. Locally, an instance
   * that was mid-step when the process stopped stays "running" forever after a restart; each
   * instance records the boot that started it, so one from another boot is restarted: its step
   * journal replays what it had finished. (Cloudflare resumes instances itself; there the boot
   * never changes.) Returns how many were restarted.
   */
  async redrive(runId: string): Promise<number> {
    const stale = await this.mutate(runId, (c) => staleInstances(c, this.bootId));
    await restartInstances(this.env, runId, stale);
    return stale.length;
  }

  async attemptFinished(runId: string, report: AttemptReport): Promise<void> {
    await this.mutate(runId, async (c) => {
      delete c.tx.memory.decisions[report.instanceId];
      delete c.tx.memory.boots[report.instanceId];
      for (const key of Object.keys(c.tx.memory.reservations)) {
        if (key.startsWith(`${report.instanceId}/`)) delete c.tx.memory.reservations[key];
      }
      c.tx.memory.parked = c.tx.memory.parked.filter((id) => id !== report.instanceId);
      if (report.outcome === "succeeded") return; // recorded when it merged
      const attempt = c.tx.attempt(report.instanceId);
      if (attempt?.status === "running" && report.patchSha256 && !attempt.patchSha256) {
        // A tree that failed its completion signals: keep its patch for feedback and no-progress checks.
        c.tx.patchAttempt(attempt.id, {
          patchKey: report.patchKey,
          patchSha256: report.patchSha256,
          resultManifest: report.resultManifest,
        });
      }
      const error = report.error ?? { code: "internal", message: "the attempt ended without a result" };
      await failAttempt(c, report.instanceId, error, { status: report.outcome });
    });
  }

  // ---- internals -----------------------------------------------------------------------

  private dbHandle: Db | undefined;

  private get db(): Db {
    this.dbHandle ??= createDb(this.env.STATE_DB);
    return this.dbHandle;
  }

  private get store(): ArtifactStore {
    return createArtifactStore(this.env.ARTIFACTS);
  }

  private newTx(state: RunState): Tx {
    return new Tx(state, {
      db: this.db,
      redact: redactorOf(this.env),
      storage: this.ctx.storage,
      auditKey: this.env.AUDIT_HMAC_KEY,
      bootId: this.bootId,
    });
  }

  /**
   * One change to a run: `change` decides within a transaction, then the run is finished if
   * every task is, the scheduler claims what it may, and the whole is committed; notices to
   * waiting workflows and new workflows go out after the commit.
   */
  private async mutate<T>(runId: string, change: (c: Ctx) => Promise<T> | T): Promise<T> {
    const { result, notices, dispatches } = await this.serial(async () => {
      const state = await this.load(runId);
      const tx = this.newTx(state);
      const c = { tx, state, store: this.store };
      const result = await change(c);
      await finishIfDone(c);
      const dispatches = claimReady(tx);
      pauseIfSpent(c);
      await this.commit(tx, state);
      return { result, notices: tx.notices, dispatches };
    });
    await Promise.all([deliverNotices(this.env, notices), this.dispatch(dispatches)]);
    return result;
  }

  /**
   * Runs an operation in the queue. Failures leave as `<code>: <message>` errors, because RPC
   * keeps only an error's message: the caller reads the code back with `errorCodeOf`.
   */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(operation).catch((error: unknown) => {
      throw toTransportError(error);
    });
  }

  private async commit(tx: Tx, state: RunState): Promise<void> {
    const events = await tx.commit();
    this.stream.publish(events);
    if (!isTerminalRunStatus(state.run.status)) return;
    this.stream.closeAll();
    // An ended run's chain is sealed in R2; links added after that (a late report) re-seal it.
    // The seal is the next operation of the queue, so the caller is answered first, and every
    // later change (and `auditHead`, which verification asks first) comes after it.
    if (tx.auditCount > 0) {
      const runId = state.run.id;
      const sealedAt = tx.now;
      this.queue
        .run(async () => {
          await sealAudit(this.store, this.env.AUDIT_HMAC_KEY, runId, await getAuditEvents(this.db, runId), sealedAt);
        })
        .catch((error: unknown) => logger.error("could not seal the audit chain", error, { runId }));
    }
  }

  private async startPlanning(runId: string): Promise<void> {
    try {
      await this.env.PLANS.create({ id: planInstanceId(runId), params: { runId } });
    } catch (error) {
      if (isDuplicateInstance(error)) return;
      logger.error("could not start planning", error, { runId });
      await this.planFailed(runId, { code: "internal", message: "could not start the planning workflow" });
    }
  }

  /** Starts the workflows of claimed attempts; one that cannot start fails its attempt. */
  private async dispatch(dispatches: readonly Dispatch[]): Promise<void> {
    for (const d of await createAttempts(this.env, dispatches)) {
      await this.attemptFinished(d.params.runId, {
        instanceId: d.id,
        outcome: "failed",
        turns: 0,
        summary: null,
        error: { code: "internal", message: "could not start the attempt's workflow" },
        resultManifest: null,
        patchKey: null,
        patchSha256: null,
        changedFiles: [],
      });
    }
  }

  private async load(runId: string): Promise<RunState> {
    const state = await this.tryLoad(runId);
    if (!state) throw new BernsteinError("not_found", `no run ${runId}`);
    return state;
  }

  private async tryLoad(runId: string): Promise<RunState | undefined> {
    if (this.state?.run.id === runId) return this.state;
    try {
      this.state = await RunState.load(this.db, this.ctx.storage, runId);
    } catch (error) {
      if (error instanceof BernsteinError && error.code === "not_found") return undefined;
      throw error;
    }
    return this.state;
  }
}
