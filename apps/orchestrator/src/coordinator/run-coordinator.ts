import { DurableObject } from "cloudflare:workers";
import { type ArtifactStore, createArtifactStore, keys } from "@bernstein/artifacts";
import {
  type AttemptContext,
  type AttemptReport,
  BernsteinError,
  type CoordinatorApi,
  costOf,
  DEFAULTS,
  type ErrorJson,
  isTerminalRunStatus,
  isTerminalTaskStatus,
  type Plan,
  type PlanContext,
  planInstanceId,
  type Run,
  roundUsd,
  toTransportError,
  type UsageEntry,
} from "@bernstein/core";
import { createDb, type Db, getEventsAfter, insertTasks } from "@bernstein/db";
import type { Env } from "../env.js";
import { logger } from "../logger.js";
import { EventStream } from "./event-stream.js";
import { writeIntegration } from "./integration.js";
import { blockDependents, finishIfDone, pauseIfOutOfBudget } from "./lifecycle.js";
import { mergeAttempt } from "./merging.js";
import { tasksFromPlan } from "./plan-tasks.js";
import { RunState } from "./run-state.js";
import { claimReady, type Dispatch } from "./scheduling.js";
import { SerialQueue } from "./serial-queue.js";
import { Tx } from "./tx.js";

/** What the API route hands the coordinator to create a run. */
export interface CreateRunCommand {
  run: Run;
  plan: Plan | null;
  idempotencyKey: string | null;
}

/** Errors a new attempt cannot fix: the task fails at once instead of retrying. */
const FINAL_CODES = new Set(["model_auth", "provider_not_configured", "invalid_model", "budget_exhausted"]);
/** Merge conflicts a task may run into on top of its retries before it fails. */
const MAX_CONFLICT_ATTEMPTS = 3;

/**
 * One run's coordinator: the run's single writer. Every change goes through `SerialQueue`,
 * is built as a `Tx`, written to D1 in one batch, then published to live subscribers.
 * Scheduling is event-driven: it runs after every change that can free a slot.
 */
export class RunCoordinator extends DurableObject<Env> implements CoordinatorApi {
  private state: RunState | undefined;
  private readonly queue = new SerialQueue();
  private readonly stream = new EventStream();

  private get db(): Db {
    return createDb(this.env.STATE_DB);
  }

  private get store(): ArtifactStore {
    return createArtifactStore(this.env.ARTIFACTS);
  }

  // ---- called by the API --------------------------------------------------------------

  /** Creates the run (idempotent by run id) and starts planning, or the plan given. */
  async create(command: CreateRunCommand): Promise<void> {
    const dispatches = await this.serial(async () => {
      const existing = await this.tryLoad(command.run.id);
      if (existing) return [];
      const { run } = command;
      await writeIntegration(this.store, run.id, {
        seq: 0,
        manifest: run.baseSnapshot,
        taskId: null,
        at: run.createdAt,
      });
      const state = new RunState(run, new Map(), new Map(), 1, new Set());
      const tx = new Tx(state, this.db);
      tx.insertRun(command.idempotencyKey);
      tx.emit("run.created", null, { goal: run.goal, model: run.model, maxAgents: run.maxAgents });
      await this.commit(tx, state);
      this.state = state;
      if (command.plan) return this.acceptPlan(state, command.plan);
      return [];
    });
    if (!command.plan) await this.startPlanning(command.run.id);
    await this.dispatch(dispatches);
  }

  /** Cancels the run: every unfinished task ends `cancelled`; running attempts stop at their next step. */
  async cancel(runId: string): Promise<void> {
    await this.serial(async () => {
      const state = await this.load(runId);
      if (isTerminalRunStatus(state.run.status)) return;
      const tx = new Tx(state, this.db);
      for (const task of tx.tasks()) {
        if (!isTerminalTaskStatus(task.status)) tx.setTaskStatus(task.id, "cancelled", {}, { reason: "run cancelled" });
      }
      for (const attempt of state.attempts.values()) {
        if (attempt.status === "running") tx.patchAttempt(attempt.id, { status: "cancelled", finishedAt: tx.now });
      }
      tx.setRunStatus("cancelled");
      await this.commit(tx, state);
    });
  }

  /** Cancels one task (409 `illegal_transition` once it is finished); its attempt stops at its next step. */
  async cancelTask(runId: string, taskId: string): Promise<void> {
    const dispatches = await this.serial(async () => {
      const state = await this.load(runId);
      const tx = new Tx(state, this.db);
      const task = tx.task(taskId);
      tx.setTaskStatus(taskId, "cancelled", {}, { reason: "cancelled by the user" });
      for (const attempt of state.attempts.values()) {
        if (attempt.taskId === taskId && attempt.status === "running") {
          tx.patchAttempt(attempt.id, { status: "cancelled", finishedAt: tx.now });
        }
      }
      if (task.status !== "cancelled") blockDependents(tx, state, taskId);
      finishIfDone(tx);
      const next = claimReady(tx);
      await this.commit(tx, state);
      return next;
    });
    await this.dispatch(dispatches);
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
    const state = await this.serial(() => this.load(runId));
    const { run } = state;
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
    const dispatches = await this.serial(async () => {
      const state = await this.load(runId);
      if (state.run.status !== "planning") return [];
      return this.acceptPlan(state, plan);
    });
    await this.dispatch(dispatches);
  }

  async planFailed(runId: string, error: ErrorJson): Promise<void> {
    await this.serial(async () => {
      const state = await this.load(runId);
      if (state.run.status !== "planning") return;
      const tx = new Tx(state, this.db);
      tx.emit("plan.rejected", null, { error });
      tx.setRunStatus("failed", { error });
      await this.commit(tx, state);
    });
  }

  // ---- called by TaskWorkflow ----------------------------------------------------------

  async attemptStarted(runId: string, instanceId: string): Promise<AttemptContext> {
    return this.serial(async () => {
      const state = await this.load(runId);
      const attempt = this.attemptOf(state, instanceId);
      const task = state.tasks.get(attempt.taskId);
      if (!task) throw new BernsteinError("not_found", `no task ${attempt.taskId}`);
      const active = this.isActive(state, instanceId);
      if (active && task.status === "claimed") {
        const tx = new Tx(state, this.db);
        tx.setTaskStatus(task.id, "in_progress");
        tx.emit("attempt.started", task.id, { instance: instanceId, attempt: attempt.n, model: attempt.model });
        await this.commit(tx, state);
      }
      const feedback = (await this.ctx.storage.get<string>(feedbackKey(task.id))) ?? null;
      return {
        runId,
        taskId: task.id,
        instanceId,
        attempt: attempt.n,
        model: attempt.model,
        maxTurns: DEFAULTS.maxTurns,
        maxOutputTokens: DEFAULTS.maxOutputTokens,
        baseSeq: attempt.baseSeq,
        baseManifest: await state.integrationManifest(this.store, attempt.baseSeq),
        task: {
          title: task.title,
          description: task.description,
          role: task.role,
          ownedFiles: task.ownedFiles,
          completionSignals: task.completionSignals,
        },
        goal: state.run.goal,
        feedback,
        active,
      };
    });
  }

  async attemptActive(runId: string, instanceId: string): Promise<boolean> {
    const state = await this.serial(() => this.load(runId));
    return this.isActive(state, instanceId);
  }

  async recordUsage(runId: string, entry: UsageEntry): Promise<void> {
    await this.serial(async () => {
      const state = await this.load(runId);
      const key = `${entry.instanceId}/${entry.step}`;
      if (state.usageKeys.has(key)) return;
      // Planning is paid by the run; an attempt's calls by its task as well.
      const attempt = entry.instanceId === planInstanceId(runId) ? undefined : this.attemptOf(state, entry.instanceId);
      const usd = costOf(entry.model, entry.usage);
      const tx = new Tx(state, this.db);
      const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = entry.usage;
      tx.insertCostEvents([
        {
          runId,
          taskId: attempt?.taskId ?? null,
          attemptId: attempt?.id ?? null,
          step: entry.step,
          model: entry.model,
          tokensIn: inputTokens,
          tokensOut: outputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          costUsd: usd,
          at: tx.now,
        },
      ]);
      if (attempt) {
        tx.patchAttempt(attempt.id, {
          turns: attempt.turns + 1,
          tokensIn: attempt.tokensIn + inputTokens,
          tokensOut: attempt.tokensOut + outputTokens,
          tokensCached: attempt.tokensCached + cacheReadTokens,
          costUsd: roundUsd(attempt.costUsd + usd),
        });
        const task = tx.task(attempt.taskId);
        tx.patchTask(task.id, { costUsd: roundUsd(task.costUsd + usd) });
      }
      tx.patchRun({ spentUsd: roundUsd(tx.run.spentUsd + usd) });
      tx.emit("cost", attempt?.taskId ?? null, {
        instance: entry.instanceId,
        step: entry.step,
        model: entry.model,
        tokensIn: inputTokens,
        tokensOut: outputTokens,
        usd,
        runSpentUsd: tx.run.spentUsd,
      });
      await this.commit(tx, state);
      state.usageKeys.add(key);
    });
  }

  async attemptFinished(runId: string, report: AttemptReport): Promise<void> {
    const dispatches = await this.serial(async () => {
      const state = await this.load(runId);
      const attempt = this.attemptOf(state, report.instanceId);
      if (attempt.status !== "running") return []; // already recorded: a replayed step
      const tx = new Tx(state, this.db);
      const task = tx.task(attempt.taskId);
      const finished = { turns: report.turns, summary: report.summary, finishedAt: tx.now };
      if (report.outcome === "succeeded" && report.resultManifest && !isTerminalTaskStatus(task.status)) {
        tx.patchAttempt(attempt.id, {
          ...finished,
          status: "succeeded",
          resultManifest: report.resultManifest,
          patchKey: report.patchKey,
          patchSha256: report.patchSha256,
        });
        tx.emit("attempt.finished", task.id, {
          instance: attempt.id,
          outcome: "succeeded",
          files: report.changedFiles.length,
        });
        tx.setTaskStatus(task.id, "done", { summary: report.summary });
        const outcome = await mergeAttempt(tx, state, this.store, task.id, attempt.baseSeq, report.resultManifest);
        if (outcome.merged) {
          tx.setTaskStatus(task.id, "merged", { mergedSeq: outcome.seq });
        } else {
          tx.patchAttempt(attempt.id, { status: "conflicted" });
          tx.emit("merge.conflict", task.id, { instance: attempt.id, files: outcome.conflicts });
          const message = `merge conflict in ${outcome.conflicts.join(", ")}`;
          if (task.attempt >= state.run.maxRetries + 1 + MAX_CONFLICT_ATTEMPTS) {
            tx.setTaskStatus(task.id, "failed", { error: { code: "merge_conflict", message } });
            blockDependents(tx, state, task.id);
          } else {
            await this.setFeedback(task.id, conflictFeedback(outcome.conflicts));
            tx.setTaskStatus(task.id, "open", {}, { reason: "merge_conflict" });
          }
        }
      } else {
        const error: ErrorJson = report.error ?? { code: "internal", message: "attempt ended without a result" };
        const status = report.outcome === "cancelled" ? "cancelled" : "failed";
        tx.patchAttempt(attempt.id, { ...finished, status, error });
        tx.emit("attempt.finished", task.id, { instance: attempt.id, outcome: status, error });
        if (!isTerminalTaskStatus(task.status)) {
          const retry = status === "failed" && !FINAL_CODES.has(error.code) && task.attempt <= state.run.maxRetries;
          if (retry) {
            await this.setFeedback(task.id, failureFeedback(error));
            tx.setTaskStatus(task.id, "open", {}, { reason: error.code });
          } else {
            tx.setTaskStatus(task.id, status, { error });
            blockDependents(tx, state, task.id);
          }
        }
      }
      finishIfDone(tx);
      const next = claimReady(tx);
      pauseIfOutOfBudget(tx);
      await this.commit(tx, state);
      return next;
    });
    await this.dispatch(dispatches);
  }

  // ---- internals -----------------------------------------------------------------------

  /**
   * Runs an operation in the queue. Failures leave as `<code>: <message>` errors, because RPC
   * keeps only an error's message: the caller reads the code back with `errorCodeOf`.
   */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    return this.queue.run(operation).catch((error: unknown) => {
      throw toTransportError(error);
    });
  }

  private async acceptPlan(state: RunState, plan: Plan): Promise<Dispatch[]> {
    if (state.tasks.size === 0) {
      const tasks = await tasksFromPlan(state.run, plan, new Date().toISOString());
      await this.store.putJson(keys.plan(state.run.id), plan);
      await insertTasks(this.db, tasks);
      for (const task of tasks) state.tasks.set(task.id, task);
      state.tasksChanged();
    }
    const tx = new Tx(state, this.db);
    tx.emit("plan.accepted", null, { tasks: state.tasks.size });
    tx.setRunStatus("running");
    const dispatches = claimReady(tx);
    await this.commit(tx, state);
    return dispatches;
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

  /** Starts the workflow of each claimed attempt. Ids are deterministic, so a repeat is harmless. */
  private async dispatch(dispatches: readonly Dispatch[]): Promise<void> {
    await Promise.all(
      dispatches.map(async (d) => {
        try {
          await this.env.TASKS.create({ id: d.id, params: d.params });
        } catch (error) {
          if (isDuplicateInstance(error)) return;
          logger.error("could not start an attempt", error, { instance: d.id });
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
      }),
    );
  }

  private async commit(tx: Tx, state: RunState): Promise<void> {
    const events = await tx.commit();
    this.stream.publish(events);
    if (isTerminalRunStatus(state.run.status)) this.stream.closeAll();
  }

  private async load(runId: string): Promise<RunState> {
    const state = await this.tryLoad(runId);
    if (!state) throw new BernsteinError("not_found", `no run ${runId}`);
    return state;
  }

  private async tryLoad(runId: string): Promise<RunState | undefined> {
    if (this.state?.run.id === runId) return this.state;
    try {
      this.state = await RunState.load(this.db, runId);
    } catch (error) {
      if (error instanceof BernsteinError && error.code === "not_found") return undefined;
      throw error;
    }
    return this.state;
  }

  private attemptOf(state: RunState, instanceId: string) {
    const attempt = state.attempts.get(instanceId);
    if (!attempt) throw new BernsteinError("not_found", `no attempt ${instanceId} in run ${state.run.id}`);
    return attempt;
  }

  /** An attempt goes on while it is its task's current attempt and neither is finished. */
  private isActive(state: RunState, instanceId: string): boolean {
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

  private async setFeedback(taskId: string, text: string): Promise<void> {
    await this.ctx.storage.put(feedbackKey(taskId), text);
  }
}

function feedbackKey(taskId: string): string {
  return `feedback:${taskId}`;
}

function conflictFeedback(files: readonly string[]): string {
  return [
    "Your previous attempt could not be merged: other tasks changed the same lines meanwhile in",
    files.map((f) => `- ${f}`).join("\n"),
    "This attempt starts from the current integration tree, which contains their changes. Redo your change on top of it.",
  ].join("\n");
}

function failureFeedback(error: ErrorJson): string {
  return `Your previous attempt failed (${error.code}): ${error.message}\nStart again from the current tree and avoid that failure.`;
}

function isDuplicateInstance(error: unknown): boolean {
  return error instanceof Error && /already exists/i.test(error.message);
}
