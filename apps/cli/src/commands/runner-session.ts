import { hostname } from "node:os";
import { createRunnerClient, registerRunner } from "@bernstein/client";
import type { BernsteinError } from "@bernstein/core";
import { type Runner, type RunnerEvent, startRunner } from "@bernstein/runner";
import type { Colors } from "../output/colors.js";
import { passedEnvNames, readProjectConfig } from "../run/project-config.js";

export interface RunnerSessionOptions {
  url: string;
  /** The runner token, or (with `apiToken`) nothing: the runner registers itself first. */
  runnerToken?: string | undefined;
  /** The stack's API token, used once to register (`POST /v1/runners`). */
  apiToken?: string | undefined;
  name?: string | undefined;
  labels: readonly string[];
  concurrency: number;
  cacheDir: string;
  repoRoot?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  onEvent(event: RunnerEvent): void;
}

export interface RunnerSession {
  /** The runner's id when this session registered it. */
  id: string | undefined;
  name: string;
  runner: Runner;
}

/** The name a runner registers under when none is given: this machine and process. */
export function defaultRunnerName(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * Starts a runner against a stack: with a runner token as given, or registered first with the
 * API token (the runner token it gets back stays in memory, never printed).
 */
export async function startRunnerSession(options: RunnerSessionOptions): Promise<RunnerSession> {
  const name = options.name ?? defaultRunnerName();
  let token = options.runnerToken;
  let id: string | undefined;
  if (token === undefined) {
    const created = await registerRunner(
      { baseUrl: options.url, token: options.apiToken },
      { name, labels: [...options.labels] },
    );
    token = created.token;
    id = created.id;
  }
  const runner = startRunner({
    client: createRunnerClient({ baseUrl: options.url, token }),
    passEnv: options.repoRoot
      ? passedEnvNames(await readProjectConfig(options.repoRoot, { cwd: options.repoRoot }))
      : [],
    // The tokens this process holds are redacted from command output like the environment's secrets.
    secrets: [token, options.apiToken].filter((v): v is string => v !== undefined),
    labels: options.labels,
    concurrency: options.concurrency,
    cacheDir: options.cacheDir,
    repoRoot: options.repoRoot,
    env: options.env,
    signal: options.signal,
    onEvent: options.onEvent,
  });
  return { id, name, runner };
}

/** A runner event as one line for people, or undefined for events only `--debug` shows. */
export function describeRunnerEvent(event: RunnerEvent, color: Colors, debug = false): string | undefined {
  switch (event.type) {
    case "claimed": {
      const { job } = event;
      if (job.kind === "exec") {
        return `${color.cyan("▸")} job ${job.id} claimed: run ${job.runId} task ${job.taskId} attempt ${job.attempt} runs \`${job.command}\``;
      }
      const what =
        job.kind === "baseline" ? "baseline of the integration tree" : `task ${job.taskId} attempt ${job.attempt}`;
      const count = job.commands.length + job.signals.length;
      return `${color.cyan("▸")} job ${job.id} claimed: run ${job.runId} ${what} (${count} command${count === 1 ? "" : "s"})`;
    }
    case "materialised": {
      if (!debug) return undefined;
      const from = event.source === "warm" ? "a warm workspace" : event.source === "git" ? "git archive" : "blobs";
      return color.dim(
        `  job ${event.job.id}: ${event.files} files in ${seconds(event.durationMs)} s from ${from} (${event.kept} kept, ${event.written} written, ${event.downloaded} downloaded)${event.gitSkipped ? `; ${event.gitSkipped}` : ""}`,
      );
    }
    case "finished": {
      const { job, result } = event;
      const setup = result.setup
        ? `, setup ${result.setup.ran ? "" : "skipped in "}${seconds(result.setup.durationMs)} s`
        : "";
      const took = `in ${seconds(result.durationMs)} s${setup}`;
      if (result.passed) return `${color.green("✓")} job ${job.id} passed ${took}`;
      if (event.error)
        return `${color.red("✗")} job ${job.id} failed: the runner could not prepare its tree (${event.error.code}: ${event.error.message})`;
      if (result.timedOut)
        return `${color.red("✗")} job ${job.id} failed: timed out after ${job.timeoutSeconds} s (\`${event.failedCommand}\`)`;
      const how = result.exitCode === null ? "was killed" : `exited ${result.exitCode}`;
      return `${color.red("✗")} job ${job.id} failed ${took}: \`${event.failedCommand}\` ${how}`;
    }
    case "command": {
      const { job, result } = event;
      const how = result.timedOut
        ? `timed out after ${job.timeoutSeconds} s`
        : result.exitCode === null
          ? "did not run to its end"
          : `exited ${result.exitCode}`;
      const mark = result.exitCode === 0 ? color.green("✓") : color.yellow("•");
      return `${mark} job ${job.id}: \`${job.command}\` ${how} in ${seconds(result.durationMs)} s`;
    }
    case "lost":
      return `${color.yellow("!")} job ${event.job.id} lost: another runner holds its lease now; nothing was posted`;
    case "abandoned":
      return `${color.yellow("!")} job ${event.job.id} abandoned: the runner is stopping; another runner takes it when its lease expires`;
    case "retrying":
      return color.dim(
        `  ${event.what}${event.job ? ` of job ${event.job.id}` : ""} failed (${describeError(event.error)}); retrying in ${seconds(event.retryInMs)} s`,
      );
    case "warning":
      return `${color.yellow("!")} ${event.message}`;
  }
}

/** A runner event as a plain JSON object (one line each under `--json`). */
export function runnerEventJson(event: RunnerEvent): Record<string, unknown> {
  const base = { event: event.type, slot: event.slot, at: new Date().toISOString() };
  const job =
    "job" in event && event.job
      ? { jobId: event.job.id, runId: event.job.runId, taskId: event.job.taskId, attempt: event.job.attempt }
      : {};
  switch (event.type) {
    case "claimed":
      return event.job.kind === "exec"
        ? { ...base, ...job, kind: "exec", commands: [event.job.command], signals: [] }
        : { ...base, ...job, kind: event.job.kind, commands: event.job.commands, signals: event.job.signals };
    case "command":
      return {
        ...base,
        ...job,
        exitCode: event.result.exitCode,
        timedOut: event.result.timedOut ?? false,
        durationMs: event.result.durationMs,
      };
    case "materialised": {
      const { type: _t, slot: _s, job: _j, ...rest } = event;
      return { ...base, ...job, ...rest };
    }
    case "finished":
      return {
        ...base,
        ...job,
        passed: event.result.passed,
        exitCode: event.result.exitCode,
        timedOut: event.result.timedOut,
        durationMs: event.result.durationMs,
        setup: event.result.setup ?? null,
        failedCommand: event.failedCommand,
        ...(event.error ? { error: event.error.toJSON() } : {}),
      };
    case "lost":
      return { ...base, ...job, reason: event.reason };
    case "abandoned":
      return { ...base, ...job };
    case "retrying":
      return { ...base, ...job, what: event.what, error: event.error.toJSON(), retryInMs: event.retryInMs };
    case "warning":
      return { ...base, ...job, message: event.message };
  }
}

function describeError(error: BernsteinError): string {
  return `${error.code}: ${error.message}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
