// The floor: the platform work one Bernstein task does, with none of Bernstein's logic. Plain
// JS, no build step. Miniflare runs this one module as two Workers, the way the local stack
// runs its two bundles: "floor-orchestrator" (the HTTP entry and FloorCoordinator, the single
// Durable Object) and "floor-agent" (FloorWorkflow, one instance per task). What a task does
// (its steps and, per step, the coordinator calls, D1 writes, model calls and R2 puts) is not
// written here: it is the task shape bench/src/task-shape.ts passes in, so this file only
// knows how to do each kind of operation as cheaply as the platform allows.
import { DurableObject, WorkflowEntrypoint } from "cloudflare:workers";

const RUN_ID = "floor";
const MODEL = "claude-sonnet-4-5";
const SYSTEM = "You are a backend engineer on a team of coding agents. Work only through the tools.";
const TOOLS = [
  {
    name: "write_file",
    description: "Create or overwrite a file.",
    input_schema: {
      type: "object",
      properties: { path: { type: "string" }, content: { type: "string" } },
      required: ["path", "content"],
    },
  },
  {
    name: "finish",
    description: "End the task with a summary.",
    input_schema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
  },
];
// Bernstein's retry presets (packages/workflow/src/retry.ts): same step configuration.
const RETRY = {
  model: { retries: { limit: 6, delay: "2 seconds", backoff: "exponential" }, timeout: "10 minutes" },
  tools: { retries: { limit: 2, delay: "1 second", backoff: "constant" }, timeout: "2 minutes" },
  storage: { retries: { limit: 3, delay: 250, backoff: "exponential" }, timeout: "1 minute" },
  report: { retries: { limit: 5, delay: "1 second", backoff: "exponential" }, timeout: "1 minute" },
};
// D1 binds at most 100 parameters; an event row has 6 columns (as Bernstein's does).
const EVENT_ROWS_PER_STATEMENT = 16;

// Tables of the same shape as Bernstein's main ones (primary keys, indexes, foreign keys).
const SCHEMA = [
  "CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, spent_usd REAL NOT NULL, integration_seq INTEGER NOT NULL, updated_at TEXT NOT NULL)",
  "CREATE TABLE tasks (id TEXT PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, title TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, cost_usd REAL NOT NULL, updated_at TEXT NOT NULL)",
  "CREATE INDEX tasks_run_idx ON tasks (run_id)",
  "CREATE TABLE attempts (id TEXT PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, n INTEGER NOT NULL, status TEXT NOT NULL, turns INTEGER NOT NULL, cost_usd REAL NOT NULL, started_at TEXT NOT NULL, updated_at TEXT)",
  "CREATE UNIQUE INDEX attempts_task_n_idx ON attempts (task_id, n)",
  "CREATE INDEX attempts_run_idx ON attempts (run_id)",
  "CREATE TABLE events (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL, task_id TEXT, data TEXT NOT NULL, PRIMARY KEY (run_id, seq))",
  "CREATE TABLE cost_events (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, task_id TEXT, step TEXT NOT NULL, cost_usd REAL NOT NULL, at TEXT NOT NULL)",
  "CREATE INDEX cost_events_run_idx ON cost_events (run_id)",
  "CREATE TABLE batch_guard (code TEXT NOT NULL, CONSTRAINT version_conflict CHECK (code <> 'version_conflict'))",
];

/** A statement: its SQL and parameters, run in the coordinator's SQLite now and in D1 later. */
function stmt(sql, ...params) {
  return { sql, params };
}

/** Statements per D1 batch of a flush (as Bernstein's outbox drain). */
const FLUSH_BATCH = 100;

/**
 * The single writer. Each call does what the shape says in one transaction of its own SQLite
 * (as Bernstein's coordinator does); what D1 lacks is flushed in the background, one flush at a
 * time, every statement written since the last in a few batches (Bernstein's outbox drain also
 * merges repeated changes of one row; the floor does not). The `merge` call also writes the
 * merged tree and the integration record to R2 and claims the next task in the same
 * transaction, then starts its workflow: a slot is handed on by the transaction that frees it.
 */
export class FloorCoordinator extends DurableObject {
  shape = null;
  tasks = 0;
  maxAgents = 0;
  nextTask = 0;
  merged = 0;
  seq = 1;
  versions = new Map();
  /** Per task: claim, create() returned, run() began, first step began, reached us, reported. */
  times = new Map();
  firstClaimAt = 0;
  completedAt = 0;
  waiters = [];
  /** Statements D1 does not have yet, and the flush in flight. */
  pending = [];
  flushing = undefined;
  again = false;

  /** Schema, run and tasks (not timed: Bernstein stores the tasks before its first claim too). */
  async setup(tasks, maxAgents, shape) {
    Object.assign(this, { tasks, maxAgents, shape });
    const db = this.env.STATE_DB;
    const now = new Date().toISOString();
    const rows = [stmt("INSERT INTO runs VALUES (?, 'running', 0, 0, ?)", RUN_ID, now)];
    for (let i = 0; i < tasks; i++) {
      rows.push(stmt("INSERT INTO tasks VALUES (?, ?, ?, 'open', 1, 0, ?)", taskId(i), RUN_ID, taskTitle(i), now));
      this.versions.set(taskId(i), 1);
    }
    for (const sql of SCHEMA) this.ctx.storage.sql.exec(sql);
    this.apply(rows);
    await db.batch([...SCHEMA.map((sql) => db.prepare(sql)), ...rows.map((s) => db.prepare(s.sql).bind(...s.params))]);
    return { tasks };
  }

  /** Claims the first `maxAgents` tasks in one batch and starts their workflows. */
  async start() {
    const now = Date.now();
    this.firstClaimAt = now;
    const stmts = [];
    const events = [];
    const claimed = [];
    while (this.nextTask < Math.min(this.tasks, this.maxAgents)) claimed.push(this.claim(now, stmts, events));
    stmts.push(...this.eventStmts(events, now));
    this.commit(stmts);
    await this.dispatch(claimed);
  }

  /**
   * One coordinator call of a task's step: `writes` (row writes: "task" is Bernstein's guarded
   * update, two statements) and `events` in one D1 batch, none when both are empty.
   */
  async call(id, role, writes, events, entered) {
    const now = Date.now();
    const times = this.times.get(id);
    if (role === "started") Object.assign(times, entered, { startedAt: now });
    const stmts = writes.flatMap((kind) => this.write(kind, id, now));
    const eventTypes = Array.from({ length: events }, () => role);
    const claimed = [];
    if (role === "merge") {
      times.finishedAt = now;
      const seq = ++this.merged;
      await this.env.ARTIFACTS.put(`snapshots/merged-${seq}.json`, manifestText(3 + seq));
      await this.env.ARTIFACTS.put(
        `runs/${RUN_ID}/integration/${seq}.json`,
        JSON.stringify({ seq, manifest: `merged-${seq}`, taskId: id, at: new Date(now).toISOString() }),
      );
      if (this.nextTask < this.tasks) claimed.push(this.claim(now, stmts, eventTypes));
      if (seq === this.tasks) {
        this.completedAt = now;
        stmts.push(...this.write("run", id, now));
        eventTypes.push("run.status");
      }
    }
    stmts.push(...this.eventStmts(eventTypes, now, id));
    if (stmts.length > 0) this.commit(stmts);
    if (this.completedAt === now && role === "merge") this.release();
    await this.dispatch(claimed);
    return role === "started" ? { title: times.title, mergedFiles: this.merged } : null;
  }

  /** `GET /wait`: a response that ends once every task has merged (like an SSE stream closing). */
  async fetch() {
    if (this.completedAt > 0) return new Response("done\n");
    const { readable, writable } = new TransformStream();
    this.waiters.push(writable.getWriter());
    return new Response(readable, { headers: { "content-type": "text/plain" } });
  }

  /** The timestamps the benchmark computes its figures from. */
  async report() {
    return {
      firstClaimAt: this.firstClaimAt,
      completedAt: this.completedAt,
      tasks: [...this.times.entries()].map(([id, { title: _title, ...t }]) => ({ id, ...t })),
    };
  }

  /** One transaction of the coordinator's SQLite; D1 gets the same statements in the background. */
  commit(stmts) {
    this.apply(stmts);
    this.pending.push(...stmts);
    this.flush();
  }

  apply(stmts) {
    const { sql } = this.ctx.storage;
    this.ctx.storage.transactionSync(() => {
      for (const s of stmts) sql.exec(s.sql, ...s.params);
    });
  }

  /** Brings D1 up to date; a call while a flush runs makes it go round once more. */
  flush() {
    if (this.flushing) {
      this.again = true;
      return;
    }
    const db = this.env.STATE_DB;
    this.flushing = (async () => {
      do {
        this.again = false;
        while (this.pending.length > 0) {
          const taken = this.pending.splice(0);
          for (let i = 0; i < taken.length; i += FLUSH_BATCH) {
            await db.batch(taken.slice(i, i + FLUSH_BATCH).map((s) => db.prepare(s.sql).bind(...s.params)));
          }
        }
      } while (this.again);
      this.flushing = undefined;
    })();
  }

  claim(now, stmts, events) {
    const i = this.nextTask++;
    const id = taskId(i);
    this.times.set(id, {
      title: taskTitle(i),
      claimedAt: now,
      createdAt: 0,
      runAt: 0,
      stepAt: 0,
      startedAt: 0,
      finishedAt: 0,
    });
    stmts.push(...this.write("task", id, now), ...this.write("attempt-insert", id, now));
    events.push("task.status");
    return { id: attemptId(id), params: { taskId: id, shape: this.shape } };
  }

  /** The statements of one row write of `kind`, as Bernstein writes that row. */
  write(kind, id, now) {
    const at = new Date(now).toISOString();
    switch (kind) {
      case "task": {
        // Optimistic concurrency: a guard insert that fails the batch on a stale version, then the update.
        const version = this.versions.get(id);
        this.versions.set(id, version + 1);
        return [
          stmt(
            "INSERT INTO batch_guard SELECT 'version_conflict' FROM (SELECT count(*) AS n FROM tasks WHERE id = ? AND version = ?) WHERE n = 0",
            id,
            version,
          ),
          stmt(
            "UPDATE tasks SET version = ?, cost_usd = cost_usd + 0.001, updated_at = ? WHERE id = ? AND version = ?",
            version + 1,
            at,
            id,
            version,
          ),
        ];
      }
      case "attempt":
        return [
          stmt(
            "UPDATE attempts SET turns = turns + 1, cost_usd = cost_usd + 0.001, updated_at = ? WHERE id = ?",
            at,
            attemptId(id),
          ),
        ];
      case "attempt-insert":
        return [
          stmt("INSERT INTO attempts VALUES (?, ?, ?, 1, 'running', 0, 0, ?, NULL)", attemptId(id), RUN_ID, id, at),
        ];
      case "run":
        return [
          stmt(
            "UPDATE runs SET spent_usd = spent_usd + 0.001, integration_seq = ?, updated_at = ? WHERE id = ?",
            this.merged,
            at,
            RUN_ID,
          ),
        ];
      case "cost":
        return [
          stmt(
            "INSERT INTO cost_events (run_id, task_id, step, cost_usd, at) VALUES (?, ?, 'turn', 0.001, ?)",
            RUN_ID,
            id,
            at,
          ),
        ];
      default:
        throw new Error(`unknown write kind ${kind}`);
    }
  }

  /** Multi-row inserts of a transaction's events, 16 rows a statement (as Bernstein chunks them). */
  eventStmts(types, now, id = null) {
    const stmts = [];
    for (let i = 0; i < types.length; i += EVENT_ROWS_PER_STATEMENT) {
      const chunk = types.slice(i, i + EVENT_ROWS_PER_STATEMENT);
      const rows = chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ");
      const values = chunk.flatMap((type) => [
        RUN_ID,
        this.seq++,
        new Date(now).toISOString(),
        type,
        id,
        JSON.stringify({ type, id }),
      ]);
      stmts.push(stmt(`INSERT INTO events VALUES ${rows}`, ...values));
    }
    return stmts;
  }

  async dispatch(claimed) {
    await Promise.all(
      claimed.map(async (d) => {
        await this.env.TASKS.create({ id: d.id, params: d.params });
        this.times.get(d.params.taskId).createdAt = Date.now();
      }),
    );
  }

  release() {
    const done = new TextEncoder().encode("done\n");
    for (const writer of this.waiters.splice(0)) writer.write(done).then(() => writer.close());
  }
}

/** One task: the shape's steps in order, each doing its operations inside `step.do`. */
export class FloorWorkflow extends WorkflowEntrypoint {
  async run(event, step) {
    const runAt = Date.now();
    const { taskId: id, shape } = event.payload;
    const task = { id, title: "", mergedFiles: 0, messages: [], reply: [] };
    let first = true;
    for (const s of shape.steps) {
      const entered = first ? { runAt } : undefined;
      first = false;
      await step.do(s.name, RETRY[s.retry], async () => {
        if (entered) entered.stepAt = Date.now();
        const out = [];
        for (const op of s.ops) out.push(await this.operation(op, task, entered));
        return out;
      });
    }
    return { id };
  }

  /** One operation; returns what it did, small, as a step result. */
  async operation(op, task, entered) {
    switch (op.op) {
      case "rpc": {
        const ctx = await this.coordinator().call(task.id, op.role, op.writes, op.events, entered);
        if (op.role === "started") {
          Object.assign(task, ctx);
          task.messages = [{ role: "user", content: [{ type: "text", text: `Task: ${ctx.title}` }] }];
        }
        return op.role;
      }
      case "model":
        task.reply = await this.model(task.messages);
        task.messages.push({ role: "assistant", content: task.reply });
        return { blocks: task.reply.length };
      case "tools": {
        const results = [];
        for (const block of task.reply.filter((b) => b.type === "tool_use")) {
          if (block.name === "write_file") {
            await this.env.ARTIFACTS.put(`blobs/${task.id}-${results.length}`, String(block.input.content));
          }
          results.push({ type: "tool_result", tool_use_id: block.id, content: `${block.name} done` });
        }
        if (!task.reply.some((b) => b.type === "tool_use" && b.name === "finish")) {
          task.messages.push({ role: "user", content: results });
        }
        return { tools: results.length };
      }
      case "put":
        await this.env.ARTIFACTS.put(...this.object(op.object, task));
        return op.object;
      default:
        throw new Error(`unknown operation ${op.op}`);
    }
  }

  /** The key and body of an R2 object of `kind`, of the size Bernstein's has at that point. */
  object(kind, task) {
    const prefix = `runs/${RUN_ID}/tasks/${task.id}/a1`;
    switch (kind) {
      case "transcript":
        return [
          `${prefix}/transcript.jsonl`,
          `${[{ role: "system", content: SYSTEM }, ...task.messages].map((m) => JSON.stringify(m)).join("\n")}\n`,
        ];
      case "manifest":
        return [`snapshots/${task.id}.json`, manifestText(3 + task.mergedFiles + 1)];
      case "patch":
        return [`${prefix}/patch.diff`, `diff --git a/src/${task.id}.txt b/src/${task.id}.txt\n+${task.title}\n`];
      default:
        throw new Error(`unknown object kind ${kind}`);
    }
  }

  /** One call to the scripted model, as an Anthropic Messages request. */
  async model(messages) {
    const response = await fetch(`${this.env.MODEL_URL}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": this.env.MODEL_KEY,
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({ model: MODEL, max_tokens: 4096, system: SYSTEM, tools: TOOLS, messages }),
    });
    if (!response.ok) throw new Error(`the model answered ${response.status}: ${await response.text()}`);
    return (await response.json()).content;
  }

  coordinator() {
    return this.env.COORDINATOR.get(this.env.COORDINATOR.idFromName(RUN_ID));
  }
}

/** `POST /setup?tasks=&maxAgents=` (body: the task shape), `POST /start`, `GET /wait`, `GET /report`. */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName(RUN_ID));
    switch (url.pathname) {
      case "/setup": {
        const tasks = Number(url.searchParams.get("tasks"));
        const maxAgents = Number(url.searchParams.get("maxAgents"));
        return Response.json(await coordinator.setup(tasks, maxAgents, await request.json()));
      }
      case "/start":
        await coordinator.start();
        return Response.json({ started: true });
      case "/wait":
        return coordinator.fetch(request);
      case "/report":
        return Response.json(await coordinator.report());
      default:
        return new Response("not found", { status: 404 });
    }
  },
};

function taskId(i) {
  return `f${i}`;
}

/** The same titles as Bernstein's tasks (bench/src/workload.ts), so the scripted model answers alike. */
function taskTitle(i) {
  return `bench task ${String(i).padStart(4, "0")}`;
}

function attemptId(id) {
  return `${RUN_ID}-${id}-1`;
}

/** A manifest's JSON with `files` entries: the size Bernstein's trees have at that point. */
function manifestText(files) {
  const entries = [];
  for (let i = 0; i < files; i++) {
    entries.push(`"src/f${i}.txt":{"mode":"100644","sha256":"${"0".repeat(64)}","size":40}`);
  }
  return `{${entries.join(",")}}`;
}
