import type { ArtifactStore } from "@bernstein/artifacts";
import {
  ACTIVE_TASK_STATUSES,
  type Attempt,
  type AttemptEventPayloads,
  type AttemptEventType,
  type AttemptNotice,
  assertRunTransition,
  assertTransition,
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
import { AUDITED_EVENTS, type AuditDraft, linkAudit } from "./audit.js";
import type { LoadedRun } from "./loaded-run.js";
import { type CoordinatorMemory, cloneMemory } from "./memory.js";
import type { RowChange, RunStore } from "./store/run-store.js";
import { TaskCounts } from "./task-counts.js";

/** What the coordinator's decisions work with: the transaction, the run as committed, R2. */
export interface Ctx {
  tx: Tx;
  state: LoadedRun;
  store: ArtifactStore;
}

export interface TxOptions {
  rows: RunStore;
  /** The Worker's redactor: every text this transaction writes or emits passes through it. */
  redact: Redactor;
  auditKey: string;
  /** Identifies this start of the stack (see `resume.ts`). */
  bootId: string;
}

/**
 * One atomic change to a run: drafts of the rows it touches, the events and audit links it
 * emits, a draft of the coordinator's memory, and the notices for waiting workflows.
 * `commit()` writes all of it in one transaction of the coordinator's SQLite (with the outbox
 * that brings the rows to D1), and only then applies the drafts in memory.
 */
export class Tx {
  readonly now = new Date().toISOString();
  /** The memory's draft, made when first asked for (many transactions never touch it). */
  private memoryDraft: CoordinatorMemory | undefined;
  /** Events for waiting workflows, sent after the commit. */
  readonly notices: AttemptNotice[] = [];
  private readonly events: RunEvent[] = [];
  private readonly audits: AuditDraft[] = [];
  private readonly costs: CostEvent[] = [];
  private readonly feedback = new Map<string, string | null>();
  private runDraft: Run;
  private runChanged = false;
  /** The run row is new (its creation): nothing is stored to compare it with. */
  private runInserted = false;
  private readonly taskDrafts = new Map<string, Task>();
  /** Tasks this transaction adds (a plan accepted), in plan order. */
  private readonly newTaskIds: string[] = [];
  private readonly attemptDrafts = new Map<string, Attempt>();
  private readonly jobDrafts = new Map<string, Job>();
  /** How this transaction changes the counts of tasks by status. */
  private readonly countDeltas = new TaskCounts();

  constructor(
    private readonly state: LoadedRun,
    private readonly options: TxOptions,
  ) {
    this.runDraft = state.run;
  }

  /** Draft of the coordinator's memory; replaces the state's on commit. */
  get memory(): CoordinatorMemory {
    this.memoryDraft ??= cloneMemory(this.state.memoryJson);
    return this.memoryDraft;
  }

  /** The memory as this transaction sees it, to read only: no draft is made for it. */
  get memoryView(): Readonly<CoordinatorMemory> {
    return this.memoryDraft ?? this.state.memory;
  }

  get run(): Run {
    return this.runDraft;
  }

  get bootId(): string {
    return this.options.bootId;
  }

  task(id: string): Task {
    const task = this.taskDrafts.get(id) ?? this.state.tasks.get(id);
    if (!task) throw new Error(`task ${id} is not part of run ${this.runDraft.id}`);
    return task;
  }

  /** How many tasks are in `status` (or any of `statuses`), as this transaction sees it. */
  count(status: TaskStatus | ReadonlySet<TaskStatus>): number {
    if (typeof status === "string") return this.state.counts.of(status) + this.countDeltas.of(status);
    return this.state.counts.in(status) + this.countDeltas.in(status);
  }

  /** How many tasks the run has. */
  taskCount(): number {
    return this.state.counts.total + this.countDeltas.total;
  }

  /** Every task of the run as this transaction sees it, in plan order. */
  tasks(): Task[] {
    return [...this.state.tasks.keys(), ...this.newTaskIds].map((id) => this.task(id));
  }

  /** A task of the run as this transaction sees it, or undefined when the run has none of that id. */
  findTask(id: string): Task | undefined {
    return this.taskDrafts.get(id) ?? this.state.tasks.get(id);
  }

  /**
   * The run's tasks in claim order from the first that may be open, and the active ones, as
   * this transaction sees them; null when this transaction added tasks (the order lacks them).
   */
  claimView(): { order: readonly string[]; start: number; active: Task[] } | null {
    if (this.newTaskIds.length > 0) return null;
    const claims = this.state.claims;
    const order = claims.ordered();
    let start = claims.start();
    const active: Task[] = [];
    for (const id of claims.active) {
      const task = this.task(id);
      if (ACTIVE_TASK_STATUSES.has(task.status)) active.push(task);
    }
    for (const task of this.taskDrafts.values()) {
      if (task.status === "open") start = Math.min(start, claims.positionOf(task.id));
      if (!claims.active.has(task.id) && ACTIVE_TASK_STATUSES.has(task.status)) active.push(task);
    }
    return { order, start, active };
  }

  attempt(id: string): Attempt | undefined {
    return this.attemptDrafts.get(id) ?? this.state.attempts.get(id);
  }

  job(id: string): Job | undefined {
    return this.jobDrafts.get(id) ?? this.state.jobs.get(id);
  }

  /** Every verification job of the run as this transaction sees it. */
  jobs(): Job[] {
    return [...new Set([...this.state.jobs.keys(), ...this.jobDrafts.keys()])].flatMap((id) => this.job(id) ?? []);
  }

  /** Adds the tasks of an accepted plan. */
  insertTasks(tasks: readonly Task[]): void {
    for (const task of tasks) {
      if (this.state.tasks.has(task.id) || this.taskDrafts.has(task.id)) continue;
      this.taskDrafts.set(task.id, task);
      this.newTaskIds.push(task.id);
      this.countDeltas.move(null, task.status);
    }
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

  /** Writes the run row itself (its creation). */
  insertRun(): void {
    this.runChanged = true;
    this.runInserted = true;
  }

  patchRun(raw: Partial<Run>): void {
    const patch = this.clean(raw);
    this.runDraft = { ...this.runDraft, ...patch, updatedAt: this.now };
    this.runChanged = true;
  }

  insertAttempt(attempt: Attempt): void {
    this.attemptDrafts.set(attempt.id, attempt);
  }

  patchAttempt(id: string, raw: Partial<Attempt>): Attempt {
    const patch = this.clean(raw);
    const before = this.attempt(id);
    if (!before) throw new Error(`attempt ${id} is not part of run ${this.runDraft.id}`);
    const next = { ...before, ...patch };
    this.attemptDrafts.set(id, next);
    return next;
  }

  /** The jobs this transaction writes (see `ReadModelSync.committed`: some must reach D1 at once). */
  get changedJobs(): Job[] {
    return [...this.jobDrafts.values()];
  }

  insertJob(job: Job): void {
    this.jobDrafts.set(job.id, job);
  }

  patchJob(id: string, patch: Partial<Job>): void {
    const before = this.job(id);
    if (!before) throw new Error(`job ${id} is not part of run ${this.runDraft.id}`);
    this.jobDrafts.set(id, { ...before, ...this.clean(patch), updatedAt: this.now });
  }

  /**
   * Records the usage of one model call, unless it was recorded before (a replayed step):
   * returns false then. The unique (run, attempt, step) index keeps it once in both databases.
   */
  recordCost(cost: CostEvent): boolean {
    const known = (c: CostEvent) => c.attemptId === cost.attemptId && c.step === cost.step;
    if (this.costs.some(known) || this.options.rows.hasUsage(cost.attemptId, cost.step)) return false;
    this.costs.push(cost);
    return true;
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
    if (AUDITED_EVENTS.has(type)) {
      // `data` is clean already: only the task id is new to the redactor.
      const audited = taskId ? { taskId: this.options.redact(taskId), ...data } : data;
      this.audits.push({ actor: "coordinator", action: type, data: audited });
    }
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

  /** Sends `payload` to a waiting workflow instance as the attempt event `type`, after the commit. */
  notify<E extends AttemptEventType>(instanceId: string, type: E, payload: AttemptEventPayloads[E]): void {
    const notice: AttemptNotice<E> = { instanceId, type, payload };
    this.notices.push(notice);
  }

  /** Feedback the task's next attempt reads (null clears it). */
  setFeedback(taskId: string, text: string | null): void {
    this.feedback.set(taskId, text === null ? null : this.options.redact(text));
  }

  private clean<T>(value: T): T {
    return redactDeep(value, this.options.redact);
  }

  /** Writes everything in one transaction, then applies the drafts. Returns the events, in seq order. */
  async commit(): Promise<RunEvent[]> {
    const links = await linkAudit(
      this.options.auditKey,
      this.runDraft.id,
      this.now,
      this.state.memory.audit,
      this.audits,
    );
    const last = links.at(-1);
    if (last) {
      const audit = { seq: last.seq, hmac: last.hmac };
      // Only the chain's head changed: a shallow copy will do (the state's memory is replaced whole).
      if (this.memoryDraft) this.memoryDraft.audit = audit;
      else this.memoryDraft = { ...this.state.memory, audit };
    }
    // A transaction that never asked for the memory left it as it was: no copy to serialize.
    const draft = this.memoryDraft;
    const memoryJson = draft ? JSON.stringify(draft) : this.state.memoryJson;
    const unchanged =
      !this.runChanged &&
      this.taskDrafts.size + this.attemptDrafts.size + this.jobDrafts.size + this.events.length === 0 &&
      this.costs.length + this.feedback.size + links.length === 0 &&
      memoryJson === this.state.memoryJson;
    if (unchanged) return [];
    const { state } = this;
    const key = state.idempotencyKey;
    this.options.rows.commit({
      run: this.runChanged
        ? {
            row: { ...this.runDraft, idempotencyKey: key },
            before: this.runInserted ? null : { ...state.run, idempotencyKey: key },
          }
        : null,
      // Each row with the row as committed (the state equals what is stored): only its changes are written.
      tasks: changesOf(this.taskDrafts, state.tasks),
      attempts: changesOf(this.attemptDrafts, state.attempts),
      jobs: changesOf(this.jobDrafts, state.jobs),
      events: this.events,
      audits: links,
      costs: this.costs,
      // Most changes leave the memory as it was: write it only when it changed.
      memory: memoryJson === this.state.memoryJson ? null : memoryJson,
      feedback: this.feedback,
    });
    this.state.run = this.runDraft;
    for (const [id, task] of this.taskDrafts) this.state.tasks.set(id, task);
    this.state.counts.merge(this.countDeltas);
    if (this.newTaskIds.length > 0) this.state.tasksChanged();
    for (const task of this.taskDrafts.values()) this.state.claims.changed(task);
    for (const [id, attempt] of this.attemptDrafts) this.state.attempts.set(id, attempt);
    for (const [id, job] of this.jobDrafts) this.state.jobs.set(id, job);
    if (draft) {
      this.state.memory = draft;
      this.state.memoryJson = memoryJson;
    }
    this.state.nextSeq += this.events.length;
    return this.events;
  }

  /**
   * A task with `patch` applied: a status change goes through core's transition table
   * (`illegal_transition` otherwise), and the version goes up by one on every write.
   */
  private writeTask(before: Task, patch: Partial<Task>): Task {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const { status: next, ...rest }: Partial<Task> = defined;
    if (next !== undefined && next !== before.status) assertTransition(before.status, next, before.id);
    const task: Task = {
      ...before,
      ...rest,
      id: before.id,
      runId: before.runId,
      createdAt: before.createdAt,
      status: next ?? before.status,
      version: before.version + 1,
      updatedAt: this.now,
    };
    this.taskDrafts.set(task.id, task);
    this.countDeltas.move(before.status, task.status);
    return task;
  }
}

function changesOf<R>(drafts: ReadonlyMap<string, R>, stored: ReadonlyMap<string, R>): RowChange<R>[] {
  const out: RowChange<R>[] = [];
  for (const [id, row] of drafts) out.push({ row, before: stored.get(id) ?? null });
  return out;
}
