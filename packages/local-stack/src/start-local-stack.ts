import { createHash, randomUUID } from "node:crypto";
import { BernsteinError } from "@bernstein/core";
import { applyMigrations, ensureAdminToken } from "@bernstein/db/migrate";
import { lifeline, type ProcessIdentity } from "@bernstein/processes";
import { Log, LogLevel, Miniflare } from "miniflare";
import pRetry from "p-retry";
import { miniflareOptions, type WorkerBundles } from "./miniflare-options.js";
import { type ModelEnvVar, pickModelEnv } from "./model-env.js";
import { tieWorkerd, workerdChildren } from "./workerd-process.js";

export interface StartLocalStackOptions {
  bundles: WorkerBundles;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Persistence root; undefined keeps D1, R2, DOs and Workflows in memory (tests, benchmarks). */
  persistDir?: string;
  /** Bearer token of the API. */
  token: string;
  /** Key of the audit chain's HMAC. */
  auditKey: string;
  /** The environment the model variables are read from (never written anywhere). */
  env: Readonly<Record<string, string | undefined>>;
  /** Miniflare's log level (default WARN). */
  logLevel?: LogLevel;
  /** Extra plain-text bindings of the orchestrator (settings such as `EVENT_STREAM_MAX_SECONDS`). */
  settings?: Record<string, string>;
  /**
   * workerd's DevTools inspector port, for profiling (0 picks a free one: read it back with
   * `miniflare.getInspectorURL()`); undefined (the default) leaves the inspector off.
   */
  inspectorPort?: number;
}

/** A running local stack in this process. */
export interface LocalStack {
  url: string;
  port: number;
  token: string;
  /** Model variables passed to the Workers (values are secrets: do not print them). */
  modelEnv: Partial<Record<ModelEnvVar, string>>;
  /** The migrations applied by this start (empty when the database was up to date). */
  migrationsApplied: string[];
  /** Workflow instances of unfinished runs restarted from their journals (a previous start stopped). */
  resumed: number;
  miniflare: Miniflare;
  /**
   * The workerd processes of this stack (pid and start time; empty where there is no `/proc`),
   * tied to this process's lifeline so they die with it even when it is killed with SIGKILL.
   */
  processes: ProcessIdentity[];
  /** Disposes Miniflare (and with it workerd). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts both Workers under Miniflare on 127.0.0.1, applies the D1 migrations, and checks
 * `/healthz` before returning.
 */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const signalListeners = snapshotSignalListeners();
  const modelEnv = pickModelEnv(options.env);
  const port = options.port ?? 0;
  lifeline().arm(); // the guard is up before workerd starts
  const workerdBefore = workerdChildren();
  const mf = new Miniflare({
    ...miniflareOptions({
      bundles: options.bundles,
      port,
      persistDir: options.persistDir,
      token: options.token,
      auditKey: options.auditKey,
      modelEnv,
      // A new boot id per start: the coordinators restart the instances of older boots.
      settings: { STACK_BOOT_ID: randomUUID(), ...options.settings },
      inspectorPort: options.inspectorPort,
    }),
    log: new Log(options.logLevel ?? LogLevel.WARN),
  });
  let stopped: Promise<void> | undefined;
  let tied: ReturnType<typeof tieWorkerd> | undefined;
  const stop = () => {
    stopped ??= mf.dispose().then(() => tied?.untie());
    return stopped;
  };
  try {
    const ready = await mf.ready;
    tied = tieWorkerd(workerdBefore);
    releaseSignals(signalListeners);
    const db = await mf.getD1Database("STATE_DB");
    const migrationsApplied = await prepareState(db, options.token);
    const url = ready.href.replace(/\/+$/, "");
    await checkHealth(url);
    const resumed = await resumeRuns(mf, url, options.token);
    return {
      url,
      port: Number(ready.port),
      token: options.token,
      modelEnv,
      migrationsApplied,
      resumed,
      miniflare: mf,
      processes: tied.processes,
      stop,
    };
  } catch (error) {
    await stop().catch((disposeError: unknown) => {
      throw new BernsteinError("stack_failed", "the local stack failed to start and then to stop", {
        cause: new AggregateError([error, disposeError]),
      });
    });
    throw startFailure(error, port);
  }
}

/**
 * Wakes the coordinator of every unfinished run, which restarts the workflows the previous
 * start left mid-step (local Workflows do not resume by themselves after a restart).
 */
async function resumeRuns(mf: Miniflare, url: string, token: string): Promise<number> {
  const db = await mf.getD1Database("STATE_DB");
  const { results } = await db
    .prepare("SELECT id FROM runs WHERE status IN ('planning', 'running', 'paused')")
    .all<{ id: string }>();
  let restarted = 0;
  for (const { id } of results) {
    const response = await fetch(`${url}/v1/runs/${id}/resume`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw new BernsteinError(
        "stack_failed",
        `resuming run ${id} failed with HTTP ${response.status}: ${await response.text()}`,
      );
    }
    restarted += ((await response.json()) as { restarted: number }).restarted;
  }
  return restarted;
}

async function checkHealth(url: string): Promise<void> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new BernsteinError("stack_failed", `the orchestrator answered /healthz with HTTP ${response.status}`);
  }
}

function startFailure(error: unknown, port: number): BernsteinError {
  if (error instanceof BernsteinError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const portHint =
    port === 0 ? "" : ` If port ${port} is taken, pass --port with another port (or 0 for any free port).`;
  return new BernsteinError("stack_failed", `the local stack failed to start: ${text}`, {
    cause: error,
    details: { fix: `Run \`bernstein dev --debug\` to see the Workers' output.${portHint}` },
  });
}

type SignalListeners = Map<NodeJS.Signals, Set<(...args: unknown[]) => void>>;
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

function snapshotSignalListeners(): SignalListeners {
  return new Map(SIGNALS.map((name) => [name, new Set(process.listeners(name) as ((...args: unknown[]) => void)[])]));
}

/**
 * Miniflare's exit hook answers SIGINT/SIGTERM with an immediate process.exit, which would
 * skip the caller's own shutdown (dispose, remove stack.json, report). When the process
 * handles those signals itself, the listeners Miniflare added are taken off again; its `exit`
 * listener stays, so workerd never outlives the process.
 */
function releaseSignals(before: SignalListeners): void {
  for (const name of SIGNALS) {
    const previous = before.get(name) ?? new Set();
    if (previous.size === 0) continue; // nobody else handles it: keep Miniflare's cleanup
    for (const listener of process.listeners(name)) {
      if (!previous.has(listener as (...args: unknown[]) => void)) process.removeListener(name, listener);
    }
  }
}

/**
 * The D1 state at start: migrations, then this process's token as the admin token (this process
 * owns the stack's state; D1 holds the token's hash only). Both steps are idempotent, so they are
 * tried again when Miniflare's synchronous D1 proxy trips its own assertion (`message?.id === id`
 * in its SynchronousFetcher), a race of that proxy seen once on a loaded 2-core CI machine; any
 * other error, or the third failure, fails the start.
 */
async function prepareState(db: Awaited<ReturnType<Miniflare["getD1Database"]>>, token: string): Promise<string[]> {
  const applied: string[] = [];
  return pRetry(
    async () => {
      applied.push(...(await applyMigrations(db)));
      await ensureAdminToken(db, createHash("sha256").update(token).digest("hex"), new Date().toISOString());
      return applied;
    },
    {
      retries: 2,
      minTimeout: 100,
      shouldRetry: ({ error }) => (error as { code?: unknown }).code === "ERR_ASSERTION",
    },
  );
}
