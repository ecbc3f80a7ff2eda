import { homedir } from "node:os";
import { join } from "node:path";
import type { RunnerClient } from "@bernstein/client";
import { BernsteinError, createRedactor, type ErrorCode, toBernsteinError } from "@bernstein/core";
import { createBlobCache } from "./blob-cache.js";
import type { RunnerEvent } from "./events.js";
import { jobEnvironment, secretValues } from "./job-env.js";
import { withManifestCache } from "./manifest-cache.js";
import { type BackoffOptions, withRetries } from "./retry.js";
import { RunnerStoppingError, runJob } from "./run-job.js";
import { removeDeadWorkspaces } from "./workspace/dead-workspaces.js";

export interface StartRunnerOptions {
  /** A client of the runner routes, holding a runner token. */
  client: RunnerClient;
  /** Labels sent with every claim (default none). */
  labels?: readonly string[];
  /** Jobs run at once: each slot long-polls for its own job (default 1). */
  concurrency?: number;
  /**
   * Where the warm workspaces live, one per repository and slot, kept between jobs (default
   * `$XDG_CACHE_HOME/bernstein/workspaces`, else `~/.cache/bernstein/workspaces`). Outside any
   * repository on purpose: tools in a workspace must not find the user's `.git` or node_modules.
   */
  workspaceRoot?: string;
  /** The blob cache (shared by every slot, and safely by several runners). */
  cacheDir: string;
  /** A local clone: a new workspace starts from `git archive` of the job's base commit when it has it. */
  repoRoot?: string | undefined;
  /** Aborting stops the runner: polls end, running jobs are abandoned and their processes killed. */
  signal: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** The runner's environment (default process.env): commands get an allowlist of it (`jobEnvironment`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** More variables commands get (`verify.env` / `agent.commands.env` of the repo's bernstein.json). */
  passEnv?: readonly string[];
  /** Secret values to redact from output besides the environment's own (the runner's tokens). */
  secrets?: readonly string[];
  /** Long-poll length of a claim (default 20 s, at most 25). */
  waitSeconds?: number;
  /** Cap of a job's log (default 1 MiB). */
  maxLogBytes?: number;
  /** Delays between failed claims (default 1 s doubling up to 30 s). */
  backoff?: BackoffOptions;
}

/** A running runner. */
export interface Runner {
  /** Settles when every slot has stopped; rejects when the stack refuses the runner (bad token). */
  stopped: Promise<void>;
}

// The stack refuses this runner or this request: polling again cannot help.
const FATAL: ReadonlySet<ErrorCode> = new Set([
  "unauthorized",
  "forbidden",
  "not_found",
  "bad_request",
  "invalid_body",
]);

/**
 * Starts `concurrency` claim loops against the stack. Each long-polls for a job, runs it to its
 * end, and polls again; a failed poll is retried with growing delays (reported as `retrying`).
 * Before the first claim, the workspaces that runners killed mid-job left locked are removed
 * (reported as `warning`s); a job's commands die with the runner (`execCommands`).
 */
export function startRunner(options: StartRunnerOptions): Runner {
  const client = withManifestCache(options.client);
  const stop = new AbortController();
  let fatal: BernsteinError | undefined;
  const onOuterAbort = () => stop.abort(new RunnerStoppingError("the runner is stopping"));
  if (options.signal.aborted) onOuterAbort();
  else options.signal.addEventListener("abort", onOuterAbort, { once: true });
  const emit = (event: RunnerEvent) => options.onEvent?.(event);
  const cache = createBlobCache(options.cacheDir, (sha) =>
    withRetries(() => client.blob(sha, stop.signal), { signal: stop.signal }),
  );
  const labels = [...(options.labels ?? [])];
  const env = options.env ?? process.env;
  const workspaceRoot = options.workspaceRoot ?? defaultWorkspaceRoot(env);
  // Whatever a command prints is redacted (known values and secret shapes) before it is posted.
  const redact = createRedactor([...secretValues(env), ...(options.secrets ?? [])]);

  // The workspaces a killed run of a runner left locked go before the first claim.
  const swept = sweepDeadWorkspaces(workspaceRoot, emit);
  const slot = async (index: number) => {
    await swept;
    while (!stop.signal.aborted) {
      let job: Awaited<ReturnType<RunnerClient["claim"]>>;
      try {
        // A failed poll is tried again (with growing delays) until the stack refuses the runner.
        job = await withRetries(
          () =>
            client.claim(
              { labels, ...(options.waitSeconds === undefined ? {} : { waitSeconds: options.waitSeconds }) },
              stop.signal,
            ),
          {
            ...options.backoff,
            attempts: Number.POSITIVE_INFINITY,
            signal: stop.signal,
            isRetryable: (failure) => !FATAL.has(failure.code),
            onRetry: (failure, retryInMs) =>
              emit({ type: "retrying", slot: index, what: "claim", error: failure, retryInMs }),
          },
        );
      } catch (error) {
        if (stop.signal.aborted) return;
        fatal ??= toBernsteinError(error);
        stop.abort(fatal);
        return;
      }
      if (job === null) continue;
      emit({ type: "claimed", slot: index, job });
      await runJob(job, {
        client,
        cache,
        workspaceRoot,
        repoRoot: options.repoRoot,
        env: jobEnvironment(env, options.passEnv),
        redact,
        maxLogBytes: options.maxLogBytes,
        signal: stop.signal,
        slot: index,
        emit,
      });
    }
  };

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const stopped = Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i))).then(() => {
    options.signal.removeEventListener("abort", onOuterAbort);
    if (fatal) {
      throw new BernsteinError(fatal.code, `the stack refused the runner: ${fatal.message}`, {
        cause: fatal,
        ...(fatal.details ? { details: fatal.details } : {}),
      });
    }
  });
  return { stopped };
}

/** `$XDG_CACHE_HOME/bernstein/workspaces`, else `~/.cache/bernstein/workspaces`. */
export function defaultWorkspaceRoot(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "bernstein", "workspaces");
}

/**
 * Removes the workspaces of runners that died mid-job (`removeDeadWorkspaces`), saying so; a
 * failure is a warning (the claim loops go on: a new job takes another workspace).
 */
async function sweepDeadWorkspaces(root: string, emit: (event: RunnerEvent) => void): Promise<void> {
  try {
    for (const removed of await removeDeadWorkspaces(root)) {
      const stopped =
        removed.stopped.length > 0 ? `, stopped pids ${removed.stopped.map((p) => p.pid).join(", ")}` : "";
      emit({
        type: "warning",
        slot: 0,
        message: `removed workspace ${removed.dir} of a runner that died (pid ${removed.owner.pid})${stopped}`,
      });
    }
  } catch (error) {
    emit({
      type: "warning",
      slot: 0,
      message: `could not remove the workspaces of dead runners in ${root}: ${toBernsteinError(error).message}`,
    });
  }
}
