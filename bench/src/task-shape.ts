/**
 * What one Bernstein task does on the platform, counted by reading the code (see README.md,
 * "Counting a task"): its Workflow steps in order and, per step, its operations. The floor
 * (bench/floor/worker.js) does exactly these and nothing else. When the task workflow or the
 * coordinator changes what a task does, change this shape with it.
 */
export interface TaskShape {
  steps: StepShape[];
}

/** One `step.do`, with Bernstein's retry preset of that step. */
export interface StepShape {
  name: string;
  retry: "model" | "tools" | "storage" | "report";
  ops: Operation[];
}

/**
 * A row write, as Bernstein writes it: "task" is its guarded update (a version-guard insert and
 * the update: two statements), the others one statement each.
 */
export type RowWrite = "task" | "attempt" | "run" | "cost";

export type Operation =
  /**
   * A Durable Object RPC to the run's single writer, which writes `writes` and `events` (16 event
   * rows a statement) in one D1 batch, none when both are empty. Role `started` is the first
   * call of a task (dispatch latency ends there); role `merge` also writes the merged tree and
   * the integration record to R2 and claims the next task in its batch (a guarded task update,
   * an attempt insert, an event), then starts that task's workflow.
   */
  | { op: "rpc"; role: string; writes: RowWrite[]; events: number }
  /** One call to the scripted model (the whole conversation so far, as Bernstein sends it). */
  | { op: "model" }
  /**
   * The last reply's tool calls: one R2 put (the file's blob) per `write_file`. `writes` is how
   * many the benchmark's script makes in that turn (for the counts; the floor does what the reply says).
   */
  | { op: "tools"; writes: number }
  /** One R2 put of an object of that kind, of Bernstein's size at that point. */
  | { op: "put"; object: "transcript" | "manifest" | "patch" };

const rpc = (role: string, writes: RowWrite[] = [], events = 0): Operation => ({ op: "rpc", role, writes, events });

/** One model turn: reserveBudget (which also tells whether the attempt is active), the call, recordUsage, the transcript. */
function turn(n: number): StepShape {
  return {
    name: `turn-${n}`,
    retry: "model",
    ops: [
      rpc("reserve"),
      { op: "model" },
      rpc("usage", ["cost", "attempt", "task", "run"], 1),
      { op: "put", object: "transcript" },
    ],
  };
}

/**
 * A task of the benchmark (turn 0 writes its file, turn 1 calls finish) as
 * apps/agent/src/task-workflow.ts and apps/orchestrator/src/coordinator/ run it.
 */
export const TASK_SHAPE: TaskShape = {
  steps: [
    // attemptStarted: the task goes in_progress (task.status + attempt.started).
    { name: "load", retry: "report", ops: [rpc("started", ["task"], 2)] },
    turn(0),
    { name: "tools-0", retry: "tools", ops: [{ op: "tools", writes: 1 }] },
    // turn 1's reply is `finish` alone: a batch that touches no storage runs without a step.
    turn(1),
    // The tree, its diff and the completion signals (checked on the tree in hand; the benchmark's have none).
    {
      name: "patch",
      retry: "storage",
      ops: [
        { op: "put", object: "manifest" },
        { op: "put", object: "patch" },
      ],
    },
    // submitAttempt: verifying, merged at once (no verify commands): attempt x2, task x3, run;
    // events attempt.finished x2, task.status x3, merge.applied. Plus the next task's claim.
    { name: "submit", retry: "report", ops: [rpc("merge", ["attempt", "task", "run", "attempt", "task", "task"], 6)] },
    // attemptFinished after a merge: only the coordinator's own memory changes (no D1 rows).
    { name: "report", retry: "report", ops: [rpc("finished")] },
  ],
};

/** The shape's totals per task, as the results file and the README list them. */
export function shapeCounts(shape: TaskShape) {
  const ops = shape.steps.flatMap((s) => s.ops);
  const rpcs = ops.filter((o): o is Extract<Operation, { op: "rpc" }> => o.op === "rpc");
  const statements = (r: Extract<Operation, { op: "rpc" }>) =>
    r.writes.reduce((n, w) => n + (w === "task" ? 2 : 1), 0) + Math.ceil(r.events / 16);
  // The merge call's batch also claims the next task: a guarded task update, an attempt insert
  // and one more event row (in the same event statement).
  const claim = 3;
  return {
    steps: shape.steps.length,
    rpcs: rpcs.length,
    d1_batches: rpcs.filter((r) => r.writes.length > 0 || r.events > 0).length,
    d1_statements: rpcs.reduce((n, r) => n + statements(r), 0) + claim,
    // The merge call also writes the merged tree and the integration record.
    r2_puts:
      ops.reduce((n, o) => n + (o.op === "put" ? 1 : o.op === "tools" ? o.writes : 0), 0) +
      2 * rpcs.filter((r) => r.role === "merge").length,
    model_calls: ops.filter((o) => o.op === "model").length,
  };
}
