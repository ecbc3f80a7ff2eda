import {
  type Attempt,
  assertRunTransition,
  type CostEvent,
  type Run,
  type RunEvent,
  type RunEventType,
  type RunStatus,
  type Task,
  type TaskStatus,
} from "@bernstein/core";
import {
  type Db,
  insertAttemptStmts,
  insertCostEventsStmts,
  insertEventsStmts,
  insertRunStmts,
  runBatch,
  type Stmt,
  updateAttemptStmts,
  updateRunStmts,
  updateTaskStmts,
} from "@bernstein/db";
import type { RunState } from "./run-state.js";

/**
 * One atomic change to a run: drafts of the rows it touches, the statements that write them
 * and the events it emits. `commit()` writes everything in one D1 batch (a transaction) and
 * only then applies the drafts to the in-memory state, so memory never runs ahead of D1.
 */
export class Tx {
  readonly now = new Date().toISOString();
  private readonly stmts: Stmt[] = [];
  private readonly events: RunEvent[] = [];
  private runDraft: Run;
  private readonly taskDrafts = new Map<string, Task>();
  private readonly attemptDrafts = new Map<string, Attempt>();

  constructor(
    private readonly state: RunState,
    private readonly db: Db,
  ) {
    this.runDraft = state.run;
  }

  get run(): Run {
    return this.runDraft;
  }

  task(id: string): Task {
    const task = this.taskDrafts.get(id) ?? this.state.tasks.get(id);
    if (!task) throw new Error(`task ${id} is not part of run ${this.runDraft.id}`);
    return task;
  }

  /** Every task of the run as this transaction sees it. */
  tasks(): Task[] {
    return [...this.state.tasks.keys()].map((id) => this.task(id));
  }

  attempt(id: string): Attempt | undefined {
    return this.attemptDrafts.get(id) ?? this.state.attempts.get(id);
  }

  /** Moves a task to `to` (through core's transition table) and records a `task.status` event. */
  setTaskStatus(id: string, to: TaskStatus, patch: Partial<Task> = {}, data: Record<string, unknown> = {}): Task {
    const before = this.task(id);
    const next = this.writeTask(before, { ...patch, status: to });
    this.emit("task.status", id, { from: before.status, to, attempt: next.attempt, ...data });
    return next;
  }

  patchTask(id: string, patch: Partial<Task>): Task {
    return this.writeTask(this.task(id), patch);
  }

  setRunStatus(to: RunStatus, patch: Partial<Run> = {}): void {
    const from = this.runDraft.status;
    assertRunTransition(from, to, this.runDraft.id);
    const terminal = to === "completed" || to === "failed" || to === "cancelled";
    this.patchRun({ ...patch, status: to, ...(terminal ? { finishedAt: this.now } : {}) });
    this.emit("run.status", null, { from, to, ...(patch.error ? { error: patch.error } : {}) });
  }

  /** Inserts the run row itself (creation). */
  insertRun(idempotencyKey: string | null): void {
    this.stmts.push(...insertRunStmts(this.db, this.runDraft, idempotencyKey));
  }

  patchRun(patch: Partial<Run>): void {
    this.runDraft = { ...this.runDraft, ...patch, updatedAt: this.now };
    this.stmts.push(...updateRunStmts(this.db, this.runDraft.id, { ...patch, updatedAt: this.now }));
  }

  insertAttempt(attempt: Attempt): void {
    this.attemptDrafts.set(attempt.id, attempt);
    this.stmts.push(...insertAttemptStmts(this.db, attempt));
  }

  patchAttempt(id: string, patch: Partial<Attempt>): Attempt {
    const before = this.attempt(id);
    if (!before) throw new Error(`attempt ${id} is not part of run ${this.runDraft.id}`);
    const next = { ...before, ...patch };
    this.attemptDrafts.set(id, next);
    this.stmts.push(...updateAttemptStmts(this.db, id, patch));
    return next;
  }

  insertCostEvents(rows: CostEvent[]): void {
    this.stmts.push(...insertCostEventsStmts(this.db, rows));
  }

  emit(type: RunEventType, taskId: string | null, data: Record<string, unknown>): RunEvent {
    const event: RunEvent = {
      runId: this.runDraft.id,
      seq: this.state.nextSeq + this.events.length,
      at: this.now,
      type,
      taskId,
      data,
    };
    this.events.push(event);
    return event;
  }

  /** Writes the batch, then applies the drafts. Returns the events, in seq order. */
  async commit(): Promise<RunEvent[]> {
    const all = [...this.stmts, ...insertEventsStmts(this.db, this.events)];
    await runBatch(this.db, all);
    this.state.run = this.runDraft;
    for (const [id, task] of this.taskDrafts) this.state.tasks.set(id, task);
    for (const [id, attempt] of this.attemptDrafts) this.state.attempts.set(id, attempt);
    this.state.nextSeq += this.events.length;
    return this.events;
  }

  private writeTask(before: Task, patch: Partial<Task>): Task {
    const { stmts, task } = updateTaskStmts(this.db, before, { ...patch, updatedAt: this.now });
    this.stmts.push(...stmts);
    this.taskDrafts.set(task.id, task);
    return task;
  }
}
