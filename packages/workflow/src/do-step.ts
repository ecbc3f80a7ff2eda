import type { WorkflowStep, WorkflowStepConfig } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import type { ArtifactStore, Spilled } from "@bernstein/artifacts";
import { BernsteinError, errorCodeOf } from "@bernstein/core";
import pRetry from "p-retry";
import type { Journal } from "./journal.js";
import { releaseRpcResult } from "./rpc-result.js";
import { fromStepError, toStepError } from "./step-error.js";

/** Where `doStep` spills large results (both or neither), and the journal it records into. */
export interface DoStepOptions<T = unknown> {
  store?: ArtifactStore;
  runId?: string;
  /** Record the result (the pointer, when spilled); a journaled result is returned without running `fn`. */
  journal?: Journal;
  /** Which results to record (default all): a result that says "try again later" must not be replayed. */
  journalIf?: (result: T) => boolean;
}

/**
 * Runs `fn` as the durable step `name`. Anything thrown becomes `<code>: <message>`, thrown as
 * `NonRetryableError` when the code is permanent (so the step fails at once) and as a plain
 * Error otherwise (retried per `config`); once the step has failed for good, `doStep` rejects
 * with a `StepFailedError` carrying the same code and message.
 *
 * With `store` and `runId`, a result whose JSON is over the spill threshold is written to R2
 * inside the step, which then returns only a pointer (step results must stay under 1 MiB);
 * the value is read back, and its hash checked, transparently after the step.
 */
export async function doStep<T>(
  step: WorkflowStep,
  name: string,
  config: WorkflowStepConfig,
  fn: () => Promise<T>,
  options: DoStepOptions<T> = {},
): Promise<T> {
  const { store, runId, journal } = options;
  if ((store === undefined) !== (runId === undefined)) {
    throw new BernsteinError("bad_request", `doStep "${name}": pass both store and runId, or neither`);
  }
  const keep = options.journalIf ?? (() => true);
  if (store === undefined || runId === undefined) {
    return settled(durable(step, name, config, () => guarded(() => journaled(journal, name, fn, keep))));
  }
  const spilled: Spilled<T> = await settled(
    durable(step, name, config, () =>
      guarded(() =>
        journaled(
          journal,
          name,
          async () => store.spill(runId, await fn()),
          (s: Spilled<T>) => !("inline" in s) || keep(s.inline),
        ),
      ),
    ),
  );
  return readBack(store, spilled);
}

/** Runs `fn` unless the journal holds the step's result; records what `keep` accepts. */
async function journaled<R>(
  journal: Journal | undefined,
  name: string,
  fn: () => Promise<R>,
  keep: (result: R) => boolean,
): Promise<R> {
  if (!journal) return fn();
  const recorded = await journal.read(name);
  if (recorded) return recorded.value as R;
  const result = await fn();
  if (keep(result)) await journal.write(name, result);
  return result;
}

/**
 * `step.do` with the result type kept, and its RPC result released (`rpc-result.ts`). Its `Rpc.Serializable` bound rejects JSON-shaped types
 * that hold `unknown` (tool inputs, plans), though they serialise fine; our step results are
 * plain JSON by construction, so the bound is dropped here, in one place.
 */
async function durable<T>(
  step: WorkflowStep,
  name: string,
  config: WorkflowStepConfig,
  fn: () => Promise<T>,
): Promise<T> {
  return releaseRpcResult((await step.do(name, config, fn as () => Promise<never>)) as T);
}

async function settled<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    throw fromStepError(error);
  }
}

// Reading a spilled result happens outside the step (on every replay, too), so it gets its own
// few quick retries for transient R2 errors (100 ms, then 500 ms). Known errors (not_found,
// hash_mismatch) are final.
async function readBack<T>(store: ArtifactStore, spilled: Spilled<T>): Promise<T> {
  return pRetry(() => store.unspill(spilled), {
    retries: 2,
    minTimeout: 100,
    factor: 5,
    randomize: false,
    shouldRetry: ({ error }) => errorCodeOf(error) === "internal",
  });
}

/** The longest wait a server's `retry-after` gets inside a step (the step timeout is minutes). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Runs a step's body. A failure that says when to try again (`details.retryAfterMs`, a model
 * provider's `retry-after`) waits that long (capped) before the step fails, so the step's next
 * try, after its own backoff, respects it: the step stays the one retry layer.
 */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const thrown = toStepError(error);
    const wait = error instanceof BernsteinError ? error.details?.retryAfterMs : undefined;
    if (!(thrown instanceof NonRetryableError) && typeof wait === "number" && wait > 0) {
      await scheduler.wait(Math.min(wait, MAX_RETRY_AFTER_MS));
    }
    throw thrown;
  }
}
