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
  type CoordinatorApi,
  type CreateRunCommand,
  DEFAULTS,
  type ErrorJson,
  isTerminalRunStatus,
  JobResultRequest,
  type Plan,
  type PlanContext,
  planInstanceId,
  type RunControlApi,
  toTransportError,
  type UsageEntry,
} from "@bernstein/core";
import { createDb, type Db, getEventsAfter, getJob } from "@bernstein/db";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { finishAttempt } from "./attempts/outcomes.js";
import { retryTask } from "./attempts/retries.js";
import { attemptOf, isActive, startAttempt } from "./attempts/start.js";
import { submitAttempt } from "./attempts/submit.js";
import { addBudget, pauseIfSpent, reserve } from "./budget.js";
import { cancelRun, cancelTask } from "./cancel.js";
import { type Ctx, Tx } from "./context.js";
import { EventStream } from "./event-stream.js";
import { createAttempts, deliverNotices, isDuplicateInstance } from "./instances.js";
import { writeIntegration } from "./integration.js";
import { finishIfDone } from "./lifecycle.js";
import { LoadedRun } from "./loaded-run.js";
import { acceptPlan } from "./plan.js";
import { approveTask, rejectTask } from "./queue/approvals.js";
import { settleVerification } from "./queue/merge-queue.js";
import { instancesToResume, restartInstances } from "./resume.js";
import { claimReady, type Dispatch } from "./scheduling.js";
import { SerialQueue } from "./serial-queue.js";
import { recordUsage } from "./usage.js";

/**
 * One run's coordinator: the run's single writer. Every change runs through `mutate`: one at a
 * time (`SerialQueue`), built as a `Tx`, written to D1 in one batch, then published to live
 * subscribers, sent to waiting workflows, and followed by scheduling, which is event-driven:
 * it runs after every change that can free a slot. The decisions themselves live in the
 * modules next to this file; this class is the RPC surface.
 */
export class RunCoordinator extends DurableObject<Env> implements CoordinatorApi, RunControlApi {
  private state: LoadedRun | undefined;
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
    const { run, plan, idempotencyKey } = command;
    const created = await this.serial(async () => {
      if (await this.tryLoad(run.id)) return false;
      await writeIntegration(this.store, run.id, {
        seq: 0,
        manifest: run.baseSnapshot,
        taskId: null,
        at: run.createdAt,
      });
      const state = new LoadedRun(run, new Map(), new Map(), 1, new Set());
      const tx = this.newTx(state);
      tx.insertRun(idempotencyKey);
      tx.emit("run.created", null, { goal: run.goal, model: run.model, maxAgents: run.maxAgents });
      tx.audit("user", "run.create", { goal: run.goal, model: run.model, budgetUsd: run.budgetUsd });
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
    return this.mutate(runId, (c) => submitAttempt(c, submission));
  }

  async decisionFor(runId: string, instanceId: string): Promise<AttemptDecision | null> {
    const state = await this.serial(() => this.load(runId));
    return state.memory.decisions[instanceId] ?? null;
  }

  /** Restarts the workflows an earlier start of the stack left running (see `resume.ts`). */
  async resume(runId: string): Promise<number> {
    const instances = await this.mutate(runId, (c) => instancesToResume(c, this.bootId));
    await restartInstances(this.env, runId, instances);
    return instances.length;
  }

  async attemptFinished(runId: string, report: AttemptReport): Promise<void> {
    await this.mutate(runId, (c) => finishAttempt(c, report));
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

  private newTx(state: LoadedRun): Tx {
    return new Tx(state, {
      db: this.db,
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

  private async commit(tx: Tx, state: LoadedRun): Promise<void> {
    const events = await tx.commit();
    this.stream.publish(events);
    if (isTerminalRunStatus(state.run.status)) this.stream.closeAll();
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

  private async load(runId: string): Promise<LoadedRun> {
    const state = await this.tryLoad(runId);
    if (!state) throw new BernsteinError("not_found", `no run ${runId}`);
    return state;
  }

  private async tryLoad(runId: string): Promise<LoadedRun | undefined> {
    if (this.state?.run.id === runId) return this.state;
    try {
      this.state = await LoadedRun.load(this.db, this.ctx.storage, runId);
    } catch (error) {
      if (error instanceof BernsteinError && error.code === "not_found") return undefined;
      throw error;
    }
    return this.state;
  }
}
