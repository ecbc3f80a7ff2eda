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
  type CostReport,
  type CreateRunCommand,
  DEFAULTS,
  type ErrorJson,
  type ExecResult,
  isBudgetPause,
  isModelPause,
  isTerminalRunStatus,
  type JobLostData,
  JobResultRequest,
  type ModelOutageReport,
  modelUnavailableMs,
  type Plan,
  type PlanContext,
  planInstanceId,
  type RunControlApi,
  type RunEvent,
  type RunView,
  type TaskView,
  toTransportError,
  type UsageEntry,
} from "@bernstein/core";
import type { Env } from "../env.js";
import { errorResponse } from "../http/errors.js";
import { redactorOf } from "../redaction.js";
import { finishAttempt } from "./attempts/outcomes.js";
import { retryTask } from "./attempts/retries.js";
import { attemptOf, isActive, startAttempt } from "./attempts/start.js";
import { submitAttempt } from "./attempts/submit.js";
import { addBudget, pauseIfSpent, reserve } from "./budget.js";
import { cancelRun, cancelTask } from "./cancel.js";
import { commandResultOf, finishCommand, startCommand } from "./commands.js";
import { Publication } from "./commit-publication.js";
import { type Ctx, Tx } from "./context.js";
import { eventsToReplay } from "./event-replay.js";
import { EventStream } from "./event-stream.js";
import { deliverNotices } from "./instances.js";
import { finishIfDone } from "./lifecycle.js";
import { LoadedRun } from "./loaded-run.js";
import { modelAnswered, modelUnavailable } from "./model-availability.js";
import { acceptPlan } from "./plan.js";
import { approveTask, rejectTask } from "./queue/approvals.js";
import { settleVerification } from "./queue/merge-queue.js";
import { ReadModelSync } from "./read-model-sync.js";
import { instancesToResume, restartInstances } from "./resume.js";
import { RunCreation } from "./run-creation.js";
import { RunImport } from "./run-import.js";
import { recordJobLost } from "./runner-jobs.js";
import { runnerConnected } from "./runner-presence.js";
import { claimReady, type Dispatch } from "./scheduling.js";
import { SerialQueue } from "./serial-queue.js";
import { Alarms } from "./store/alarms.js";
import { ReadModel } from "./store/read-model.js";
import { RunStore } from "./store/run-store.js";
import { recordUsage } from "./usage.js";
import { startAttempts, startPlanning } from "./workflow-starts.js";

interface MutateOptions {
  /**
   * Bring D1 up to date before the call returns and before anyone sees the change (calls of
   * the API, and new tasks, which `GET /v1/tasks/:id` finds through D1). Otherwise the outbox
   * drains right after, in the background.
   */
  syncReadModel?: boolean;
  /**
   * Run before the changes queued normally (see `SerialQueue`): for a short call that a
   * workflow waits on to begin, which should not wait behind a burst of others.
   */
  ahead?: boolean;
}

/**
 * One run's coordinator: the run's single writer, holding its state in the object's own
 * SQLite, and the RPC facade of the run. Every change runs through `mutate`: one at a time
 * (`SerialQueue`), built as a `Tx` and committed as one transaction of that SQLite (rows,
 * events, audit links, the outbox of D1 changes), then published to live subscribers
 * (`commit-publication.ts`), sent to waiting workflows, and followed by scheduling, which is
 * event-driven. D1, the read model across runs, is brought up to date from the outbox
 * (`read-model-sync.ts`). Reads of the run come from here. The decisions live in the modules
 * next to this file.
 */
export class RunCoordinator extends DurableObject<Env> implements CoordinatorApi, RunControlApi {
  private state: LoadedRun | undefined;
  private readonly queue = new SerialQueue();
  private readonly stream: EventStream;
  /** This start of the stack (`STACK_BOOT_ID`, set by the local stack; constant on Cloudflare). */
  private readonly bootId: string;
  private readonly rows: RunStore;
  private readonly alarms: Alarms;
  private readonly readModel: ReadModelSync;
  private readonly runImport: RunImport;
  private readonly publication: Publication;
  private readonly creation: RunCreation;
  /** Whether this object looked for workflows to resume since it woke. */
  private resumeChecked = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.bootId = env.STACK_BOOT_ID ?? "cloudflare";
    const seconds = Number(env.EVENT_STREAM_MAX_SECONDS);
    this.stream = new EventStream(Number.isFinite(seconds) && seconds > 0 ? seconds : undefined);
    this.rows = new RunStore(ctx.storage);
    this.alarms = new Alarms(ctx.storage);
    const readModel = new ReadModel(this.rows, env.STATE_DB, { hold: env.READ_MODEL_HOLD === "1" });
    this.readModel = new ReadModelSync(readModel, this.rows, this.alarms);
    this.runImport = new RunImport(ctx, env, this.rows);
    this.publication = new Publication({
      stream: this.stream,
      queue: this.queue,
      rows: this.rows,
      store: () => this.store,
      auditKey: env.AUDIT_HMAC_KEY,
    });
    this.creation = new RunCreation({
      env,
      rows: this.rows,
      store: () => this.store,
      bootId: this.bootId,
      serial: (operation) => this.serial(operation),
      held: (runId) => this.held(runId),
      newTx: (state) => this.newTx(state),
      adopt: (state) => {
        this.state = state;
      },
      holdReads: (until) => {
        this.settled = Promise.all([this.settled, until]).then(() => undefined);
      },
      bringReadModelUp: () => this.bringReadModelUp(),
      publish: (events, tx, state) => this.publish(events, tx, state),
      acceptPlan: (runId, plan) => this.planAccepted(runId, plan),
      startPlanning: (runId) => this.startPlanning(runId),
    });
    void ctx.blockConcurrencyWhile(async () => {
      // A run created by an older version gets the newer tables before anything reads it.
      if (this.rows.exists()) await this.rows.migrate();
    });
  }

  // ---- called by the API --------------------------------------------------------------

  /** Creates a run (see `run-creation.ts`); false if it was there already (the same create again). */
  async create(command: CreateRunCommand): Promise<boolean> {
    return this.creation.create(command);
  }

  async view(runId: string): Promise<RunView> {
    return this.read(runId, (state) => ({ ...state.run, tasks: [...state.tasks.values()], seq: state.nextSeq - 1 }), {
      settled: true,
    });
  }

  async taskView(runId: string, taskId: string): Promise<Omit<TaskView, "commands">> {
    return this.read(
      runId,
      (state) => {
        const task = state.tasks.get(taskId);
        if (!task) throw new BernsteinError("not_found", `no task ${taskId} in run ${runId}`);
        const attempts = [...state.attempts.values()].filter((a) => a.taskId === taskId).sort((a, b) => a.n - b.n);
        return { ...task, attempts };
      },
      { settled: true },
    );
  }

  async costReport(runId: string): Promise<CostReport> {
    return this.read(runId, (state) => this.rows.costReport(state.run, Date.now()), {
      settled: true,
    });
  }

  async cancel(runId: string): Promise<void> {
    await this.mutate(runId, (c) => cancelRun(c), { syncReadModel: true });
  }

  async cancelTask(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => cancelTask(c, taskId), { syncReadModel: true });
  }

  async approve(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => approveTask(c, taskId), { syncReadModel: true });
  }

  async reject(runId: string, taskId: string, reason: string): Promise<void> {
    await this.mutate(runId, (c) => rejectTask(c, taskId, reason), { syncReadModel: true });
  }

  async retry(runId: string, taskId: string): Promise<void> {
    await this.mutate(runId, (c) => retryTask(c, taskId), { syncReadModel: true });
  }

  async addBudget(runId: string, addUsd: number): Promise<void> {
    await this.mutate(runId, (c) => addBudget(c, addUsd), { syncReadModel: true });
  }

  /** Links a change outside the run that bears on it (a token created or revoked) into its chain, until it ends. */
  async auditLink(runId: string, actor: string, action: string, data: Record<string, unknown>): Promise<void> {
    await this.mutate(runId, (c) => {
      if (!isTerminalRunStatus(c.tx.run.status)) c.tx.audit(actor, action, data);
    });
  }

  /**
   * The chain's head as the coordinator recorded it: an anchor for verifying the chain in D1.
   * It waits for the operations before it (so a seal due is written once it answers), and
   * drains the outbox first, so D1 holds every link up to the head: verification reads D1,
   * the read model, which may lag the coordinator by the drain. A drain that fails fails this.
   */
  async auditHead(runId: string): Promise<{ seq: number; hmac: string }> {
    return this.serial(async () => {
      const state = await this.load(runId);
      await this.readModel.drain();
      return { ...state.memory.audit };
    });
  }

  async jobResult(runId: string, jobId: string, result: JobResultRequest): Promise<void> {
    // The runner's answer waits for D1 (`syncReadModel`): the verdict ends the job's lease there,
    // so a heartbeat or a second result after the answer is a conflict, never a lease still held.
    await this.mutate(
      runId,
      async (c) => {
        const job = c.tx.job(jobId);
        if (job?.status !== "queued") return; // settled or withdrawn already
        c.tx.patchJob(jobId, {
          status: result.passed ? "passed" : "failed",
          exitCode: result.exitCode,
          timedOut: result.timedOut,
          durationMs: result.durationMs,
          tail: result.tail,
        });
        await settleVerification(c, job, JobResultRequest.parse(result));
      },
      { syncReadModel: true },
    );
  }

  /**
   * A runner's result of an agent's command (the API checked that the runner held the job). As
   * with `jobResult`, the lease ends in D1 before the runner's answer.
   */
  async commandFinished(runId: string, jobId: string, result: ExecResult): Promise<void> {
    await this.mutate(
      runId,
      async (c) => {
        const job = c.tx.job(jobId);
        if (job?.kind === "exec" && job.status === "queued") await finishCommand(c, job, result);
      },
      { syncReadModel: true },
    );
  }

  /** A runner's lease on a job lapsed and another runner claimed it (see `recordJobLost`). */
  async jobLost(runId: string, lost: JobLostData): Promise<void> {
    await this.mutate(runId, (c) => recordJobLost(c, lost));
  }

  /** SSE: `GET /events?run=<id>&after=<seq>` replays the log after `seq`, then follows it. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const runId = url.searchParams.get("run") ?? "";
    const after = Math.max(0, Number.parseInt(url.searchParams.get("after") ?? "0", 10) || 0);
    const state = await this.held(runId);
    if (!state) return errorResponse(new BernsteinError("not_found", `no run ${runId}`));
    return this.stream.open(eventsToReplay(this.rows, after), isTerminalRunStatus(state.run.status), after);
  }

  /**
   * The one alarm: runs whatever is due (see `store/alarms.ts`). An alarm can be the first
   * thing a restarted stack does here (before D1 lists the run as unfinished), so it also
   * resumes the workflows an earlier start left running.
   */
  override async alarm(): Promise<void> {
    const state = this.loaded();
    if (!state) return;
    for (const timer of this.alarms.take(Date.now())) {
      if (timer.kind === "read-model") await this.readModel.drainOrRetry();
    }
    await this.alarms.arm();
    if (!this.resumeChecked && !isTerminalRunStatus(state.run.status)) await this.resume(state.run.id);
  }

  // ---- called by PlanWorkflow ----------------------------------------------------------

  async planContext(runId: string): Promise<PlanContext> {
    return this.read(runId, ({ run }) => ({
      runId,
      goal: run.goal,
      baseSnapshot: run.baseSnapshot,
      plannerModel: run.plannerModel,
      repoViewTokens: DEFAULTS.planTokenBudget,
      // Paused for budget before its plan came: planning waits for more, it is not cancelled.
      cancelled: run.status !== "planning" && !(isBudgetPause(run) || isModelPause(run)),
      commandsEnabled: run.commands.enabled,
    }));
  }

  async planAccepted(runId: string, plan: Plan): Promise<void> {
    await this.mutate(runId, (c) => (c.tx.run.status === "planning" ? acceptPlan(c, plan) : undefined), {
      syncReadModel: true,
    });
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
    // Ahead of the queue: its dispatch ends here, and it should not wait behind the other
    // attempts' submits (a burst when many finish at once: each claims the next task).
    return this.mutate(runId, (c) => startAttempt(c, instanceId, (taskId) => this.rows.feedback(taskId)), {
      ahead: true,
    });
  }

  async reserveBudget(runId: string, request: BudgetRequest): Promise<BudgetAnswer> {
    return this.mutate(runId, (c) => {
      if (request.instanceId === planInstanceId(runId)) return reserve(c, request, null);
      if (!isActive(c.state, request.instanceId)) return { kind: "inactive" };
      return reserve(c, request, attemptOf(c.state, request.instanceId).taskId);
    });
  }

  async recordUsage(runId: string, entry: UsageEntry): Promise<void> {
    await this.mutate(runId, (c) => {
      recordUsage(c, entry);
      modelAnswered(c);
    });
  }

  async modelUnavailable(runId: string, report: ModelOutageReport): Promise<void> {
    const pauseAfterMs = modelUnavailableMs(this.env.BERNSTEIN_MODEL_UNAVAILABLE_MINUTES);
    await this.mutate(runId, (c) => modelUnavailable(c, report, pauseAfterMs));
  }

  async submitAttempt(runId: string, submission: AttemptSubmission): Promise<AttemptDecision> {
    return this.mutate(runId, (c) => submitAttempt(c, submission));
  }

  async startCommand(runId: string, request: CommandRequest): Promise<CommandStart> {
    return this.mutate(runId, (c) => startCommand(c, request, () => runnerConnected(this.env.STATE_DB)));
  }

  async commandResult(runId: string, jobId: string): Promise<ExecResult | null> {
    const job = await this.read(runId, (state) => state.jobs.get(jobId) ?? null);
    return job ? commandResultOf(this.store, job) : null;
  }

  /** Restarts the workflows an earlier start of the stack left running (see `resume.ts`). */
  async resume(runId: string): Promise<number> {
    this.resumeChecked = true;
    if (!(await this.held(runId))) return 0;
    const instances = await this.mutate(runId, (c) => instancesToResume(c, this.bootId));
    await restartInstances(this.env, runId, instances);
    return instances.length;
  }

  async attemptFinished(runId: string, report: AttemptReport): Promise<void> {
    await this.mutate(runId, (c) => finishAttempt(c, report));
  }

  // ---- internals -----------------------------------------------------------------------

  private artifacts: ArtifactStore | undefined;

  private get store(): ArtifactStore {
    this.artifacts ??= createArtifactStore(this.env.ARTIFACTS);
    return this.artifacts;
  }

  private newTx(state: LoadedRun): Tx {
    return new Tx(state, {
      rows: this.rows,
      redact: redactorOf(this.env),
      auditKey: this.env.AUDIT_HMAC_KEY,
      bootId: this.bootId,
    });
  }

  /**
   * One change to a run: `change` decides within a transaction, then the run is finished if
   * every task is, the scheduler claims what it may, and the whole is committed. The claimed
   * attempts' workflows start right after the commit. A change that must reach D1 first
   * (`syncReadModel`) drains the outbox outside the queue: the next change need not wait for
   * D1 (the first claims' `attemptStarted`, say), while reads for the API and the change's
   * events (`publish`) wait for the drain, and so does the caller; any other drains at once
   * or soon after, as `ReadModelSync.committed` decides. Notices to waiting workflows go out
   * after that.
   */
  private async mutate<T>(runId: string, change: (c: Ctx) => Promise<T> | T, options: MutateOptions = {}): Promise<T> {
    let dispatched: Promise<void> = Promise.resolve();
    let drained: Promise<void> = Promise.resolve();
    const section = this.serial(async () => {
      const state = await this.load(runId);
      const tx = this.newTx(state);
      const c = { tx, state, store: this.store };
      const result = await change(c);
      await finishIfDone(c);
      const dispatches = claimReady(tx);
      pauseIfSpent(c);
      const events = await tx.commit();
      if (dispatches.length > 0) dispatched = this.dispatch(dispatches);
      if (options.syncReadModel) drained = this.readModel.bringUp();
      else this.readModel.committed(tx.changedJobs, isTerminalRunStatus(state.run.status));
      this.publish(events, tx, state);
      return { result, notices: tx.notices };
    }, options.ahead);
    // A change that failed after its commit still waits for the workflows it started.
    const { result, notices } = await section.catch(async (error: unknown) => {
      await dispatched;
      throw error;
    });
    await drained;
    await Promise.all([deliverNotices(this.env, runId, notices), dispatched]);
    return result;
  }

  /**
   * Runs an operation in the queue. Failures leave as `<code>: <message>` errors, because RPC
   * keeps only an error's message: the caller reads the code back with `errorCodeOf`.
   */
  private serial<T>(operation: () => Promise<T>, ahead = false): Promise<T> {
    return this.queue.run(operation, { ahead }).catch((error: unknown) => {
      throw toTransportError(error);
    });
  }

  /** Reads for the API wait for this (see `read-model-sync.ts`). */
  private get settled(): Promise<void> {
    return this.readModel.settled;
  }

  private set settled(value: Promise<void>) {
    this.readModel.settled = value;
  }

  /** Publishes a commit (see `commit-publication.ts`): its events are shown once D1 has what must reach it first. */
  private publish(events: readonly RunEvent[], tx: Tx, state: LoadedRun): void {
    this.publication.publish(events, tx, state, this.settled);
  }

  /** Drains the outbox now; reads wait until it is done (see `read-model-sync.ts`). */
  private bringReadModelUp(): Promise<void> {
    return this.readModel.bringUp();
  }

  private startPlanning(runId: string): Promise<void> {
    return startPlanning(this.env, runId, (error) => this.planFailed(runId, error));
  }

  private dispatch(dispatches: readonly Dispatch[]): Promise<void> {
    return startAttempts(this.env, dispatches, (runId, report) => this.attemptFinished(runId, report));
  }

  /**
   * A read of the committed run, outside the queue (it never sees a transaction half-way).
   * Views for the API (`settled`) wait until any change that must reach D1 first did: a task
   * shown is one `GET /v1/tasks/:id` finds. Errors leave as `serial`'s do.
   */
  private async read<T>(runId: string, read: (state: LoadedRun) => T, options: { settled?: boolean } = {}): Promise<T> {
    try {
      if (options.settled) await this.settled;
      return read(await this.load(runId));
    } catch (error) {
      throw toTransportError(error);
    }
  }

  private async load(runId: string): Promise<LoadedRun> {
    const state = await this.held(runId);
    if (!state) throw new BernsteinError("not_found", `no run ${runId}`);
    return state;
  }

  /**
   * The run if this object holds it. A run made before runs lived in the coordinator's SQLite
   * is imported from D1 on first access (see `run-import.ts`), then held like any other.
   */
  private async held(runId: string): Promise<LoadedRun | undefined> {
    const state = this.tryLoad(runId);
    if (state) return state;
    await this.runImport.ifOwed(runId, () => this.loaded() !== undefined);
    return this.tryLoad(runId);
  }

  private tryLoad(runId: string): LoadedRun | undefined {
    const state = this.loaded();
    return state?.run.id === runId ? state : undefined;
  }

  /** The run this object holds, read from its SQLite on first use. */
  private loaded(): LoadedRun | undefined {
    if (this.state) return this.state;
    const stored = this.rows.load();
    if (stored) this.state = LoadedRun.fromStored(stored);
    return this.state;
  }
}
