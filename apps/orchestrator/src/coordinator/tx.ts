import {
  type Attempt,
  assertRunTransition,
  BernsteinError,
  type CostEvent,
  isTerminalRunStatus,
  type Job,
  type Redactor,
  type Run,
  type RunEvent,
  type RunEventType,
  type RunStatus,
  redactDeep,
  type Task,
  type TaskStatus,
} from "@bernstein/core";
import {
  type Db,
  insertAttemptStmts,
  insertAuditEventsStmts,
  insertCostEventsStmts,
  insertEventsStmts,
  insertJobStmts,
  insertRunStmts,
  runBatch,
  type Stmt,
  updateAttemptStmts,
  updateJobStmts,
  updateRunStmts,
  updateTaskStmts,
} from "@bernstein/db";
import { wakeClaims } from "../claim-wake.js";
import { AUDITED_EVENTS, type AuditDraft, linkAudit } from "./audit.js";
import { type CoordinatorMemory, cloneMemory, feedbackKey, memoryKey } from "./memory.js";
import type { RunState } from "./run-state.js";

/** An event for a waiting workflow instance, sent once the transaction is committed. */
export interface Notice {
  instanceId: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface TxOptions {
  db: Db;
  /** The Worker's redactor: every text this transaction writes or emits passes through it. */
  redact: Redactor;
  storage: DurableObjectStorage;
  auditKey: string;
  /** Identifies this start of the stack (see `redrive`). */
  bootId: string;
}

/**
 * One atomic change to a run: drafts of the rows it touches, the statements that write them,
 * the events and audit links it emits, a draft of the coordinator's memory, and the notices
 * for waiting workflows. `commit()` writes the rows, events and audit links in one D1 batch (a
 * transaction), then the memory, and only then applies the drafts in memory.
 */
export class Tx {
  readonly now = new Date().toISOString();
  /** Draft of the coordinator's memory; replaces the state's on commit. */
  readonly memory: CoordinatorMemory;
  readonly notices: Notice[] = [];
  private readonly stmts: Stmt[] = [];
  private readonly events: RunEvent[] = [];
  private readonly audits: AuditDraft[] = [];
  private readonly feedback = new Map<string, string | null>();
  private runDraft: Run;
  private readonly taskDrafts = new Map<string, Task>();
  private readonly attemptDrafts = new Map<string, Attempt>();
  /** A job was queued: the runners' waiting claims are woken after the commit. */
  private queuesJobs = false;

  constructor(
    private readonly state: RunState,
    private readonly options: TxOptions,
  ) {
    this.runDraft = state.run;
    this.memory = cloneMemory(state.memory);
  }

  get run(): Run {
    return this.runDraft;
  }

  get db(): Db {
    return this.options.db;
  }

  get bootId(): string {
    return this.options.bootId;
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
    const next = this.writeTask(before, { ...this.clean(patch), status: to });
    this.emit("task.status", id, { from: before.status, to, attempt: next.attempt, ...data });
    return next;
  }

  patchTask(id: string, patch: Partial<Task>): Task {
    return this.writeTask(this.task(id), this.clean(patch));
  }

  setRunStatus(to: RunStatus, patch: Partial<Run> = {}): void {
    const from = this.runDraft.status;
    assertRunTransition(from, to, this.runDraft.id);
    const terminal = isTerminalRunStatus(to);
    this.patchRun({ ...patch, status: to, finishedAt: terminal ? this.now : null });
    // The only event allowed on an ended run: a retry bringing a failed run back.
    this.push("run.status", null, {
      from,
      to,
      ...(patch.error ? { error: patch.error } : {}),
      ...(patch.verification ? { verification: patch.verification } : {}),
    });
  }

  /**
   * The run has ended (its terminal `run.status` event is written or in this transaction).
   * That event is the run's last: followers, `--watch` and the stream's close rely on it. A
   * fact that arrives later (the usage of a call in flight at the cancel) is written as rows
   * only: callers check `ended` and leave out the event.
   */
  get ended(): boolean {
    return isTerminalRunStatus(this.runDraft.status);
  }

  /** Inserts the run row itself (creation). */
  insertRun(idempotencyKey: string | null): void {
    this.stmts.push(...insertRunStmts(this.options.db, this.runDraft, idempotencyKey));
  }

  patchRun(raw: Partial<Run>): void {
    const patch = this.clean(raw);
    this.runDraft = { ...this.runDraft, ...patch, updatedAt: this.now };
    this.stmts.push(...updateRunStmts(this.options.db, this.runDraft.id, { ...patch, updatedAt: this.now }));
  }

  insertAttempt(attempt: Attempt): void {
    this.attemptDrafts.set(attempt.id, attempt);
    this.stmts.push(...insertAttemptStmts(this.options.db, attempt));
  }

  patchAttempt(id: string, raw: Partial<Attempt>): Attempt {
    const patch = this.clean(raw);
    const before = this.attempt(id);
    if (!before) throw new Error(`attempt ${id} is not part of run ${this.runDraft.id}`);
    const next = { ...before, ...patch };
    this.attemptDrafts.set(id, next);
    this.stmts.push(...updateAttemptStmts(this.options.db, id, patch));
    return next;
  }

  insertJob(job: Job): void {
    this.stmts.push(...insertJobStmts(this.options.db, job));
    this.queuesJobs = true;
  }

  patchJob(id: string, patch: Partial<Job>): void {
    this.stmts.push(...updateJobStmts(this.options.db, id, { ...this.clean(patch), updatedAt: this.now }));
  }

  /** Any other statement that belongs in this transaction. */
  write(stmts: readonly Stmt[]): void {
    this.stmts.push(...stmts);
  }

  insertCostEvents(rows: CostEvent[]): void {
    this.stmts.push(...insertCostEventsStmts(this.options.db, rows));
  }

  /**
   * Records an event. Refused once the run has ended (see `ended`): the change is not committed
   * and fails with `illegal_transition` (a user's late budget or retry is a 409).
   */
  emit(type: RunEventType, taskId: string | null, data: Record<string, unknown>): RunEvent {
    if (this.ended) {
      throw new BernsteinError(
        "illegal_transition",
        `run ${this.runDraft.id} is ${this.runDraft.status}: nothing may happen after its end (${type})`,
      );
    }
    return this.push(type, taskId, data);
  }

  private push(type: RunEventType, taskId: string | null, raw: Record<string, unknown>): RunEvent {
    const data = this.clean(raw);
    const event: RunEvent = {
      runId: this.runDraft.id,
      seq: this.state.nextSeq + this.events.length,
      at: this.now,
      type,
      taskId,
      data,
    };
    this.events.push(event);
    if (AUDITED_EVENTS.has(type)) this.audit("coordinator", type, taskId ? { taskId, ...data } : data);
    return event;
  }

  /** Audit links this transaction appends (each committed with it). */
  get auditCount(): number {
    return this.audits.length;
  }

  /** Appends a link to the run's tamper-evident audit chain. */
  audit(actor: string, action: string, data: Record<string, unknown>): void {
    this.audits.push({ actor, action, data: this.clean(data) });
  }

  /** Sends `payload` to a waiting workflow instance as an event of `type`, after the commit. */
  notify(instanceId: string, type: string, payload: Record<string, unknown>): void {
    this.notices.push({ instanceId, type, payload });
  }

  /** Feedback the task's next attempt reads (null clears it). */
  setFeedback(taskId: string, text: string | null): void {
    this.feedback.set(taskId, text === null ? null : this.options.redact(text));
  }

  private clean<T>(value: T): T {
    return redactDeep(value, this.options.redact);
  }

  /** Writes everything, then applies the drafts. Returns the events, in seq order. */
  async commit(): Promise<RunEvent[]> {
    const { db, storage, auditKey } = this.options;
    const links = await linkAudit(auditKey, this.runDraft.id, this.now, this.state.memory.audit, this.audits);
    const last = links.at(-1);
    if (last) this.memory.audit = { seq: last.seq, hmac: last.hmac };
    await runBatch(db, [...this.stmts, ...insertEventsStmts(db, this.events), ...insertAuditEventsStmts(db, links)]);
    if (this.queuesJobs) wakeClaims(); // the runners' waiting claims take the new jobs now
    const writes: Record<string, unknown> = {};
    // Most changes leave the memory as it was: write it only when it changed.
    if (JSON.stringify(this.memory) !== JSON.stringify(this.state.memory))
      writes[memoryKey(this.runDraft.id)] = this.memory;
    for (const [taskId, text] of this.feedback) if (text !== null) writes[feedbackKey(taskId)] = text;
    if (Object.keys(writes).length > 0) await storage.put(writes);
    const cleared = [...this.feedback].filter(([, text]) => text === null).map(([taskId]) => feedbackKey(taskId));
    if (cleared.length > 0) await storage.delete(cleared);
    this.state.run = this.runDraft;
    for (const [id, task] of this.taskDrafts) this.state.tasks.set(id, task);
    for (const [id, attempt] of this.attemptDrafts) this.state.attempts.set(id, attempt);
    this.state.memory = this.memory;
    this.state.nextSeq += this.events.length;
    return this.events;
  }

  private writeTask(before: Task, patch: Partial<Task>): Task {
    const { stmts, task } = updateTaskStmts(this.options.db, before, { ...patch, updatedAt: this.now });
    this.stmts.push(...stmts);
    this.taskDrafts.set(task.id, task);
    return task;
  }
}
