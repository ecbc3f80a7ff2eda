import type { WorkflowStep } from "cloudflare:workers";
import { type CoordinatorApi, type ModelOutageReport, toBernsteinError } from "@bernstein/core";

/** The shortest and longest sleep between two tries of a model that is down. */
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;
/** The longest `retry-after` honoured as it is (a longer one is probed after this). */
const LONGEST_RETRY_AFTER_MS = 60_000;

/** A model call that waiting may cure: the workflow sleeps `retryInMs`, then calls again. */
export interface Outage {
  kind: "outage";
  retryInMs: number;
}

/**
 * A call's failure as an outage, if it is one: 429 `model_rate_limited`, 5xx/529 and
 * unreachable `model_unavailable`, unless the provider said not to retry. It is reported to the
 * coordinator (which shows it and may pause the run) and returned, not thrown: the step does
 * not fail, so neither the step's retries nor an attempt are used up by an outage. Anything
 * else is thrown again as it was.
 */
export async function outageOf(
  error: unknown,
  failures: number,
  coordinator: CoordinatorApi,
  call: { runId: string; instanceId: string; step: string },
): Promise<Outage> {
  const err = toBernsteinError(error);
  const details = err.details ?? {};
  const waitable = err.code === "model_unavailable" || err.code === "model_rate_limited";
  if (!waitable || details.retryable === false) throw error;
  const retryInMs = retryDelayMs(failures, details.retryAfterMs);
  const report: ModelOutageReport = {
    instanceId: call.instanceId,
    step: call.step,
    provider: typeof details.provider === "string" ? details.provider : "model",
    status: typeof details.status === "number" ? details.status : null,
    code: err.code,
    message: err.message,
    retryInMs,
  };
  await coordinator.modelUnavailable(call.runId, report);
  return { kind: "outage", retryInMs };
}

/**
 * How long to sleep after the `failures`-th failure in a row of one call (0-based): what the
 * provider asked for (`retry-after`, within bounds), else 1, 2, 4 ... 30 s.
 */
export function retryDelayMs(failures: number, retryAfterMs: unknown): number {
  if (typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs)) {
    return Math.min(Math.max(retryAfterMs, FIRST_RETRY_MS), LONGEST_RETRY_AFTER_MS);
  }
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(failures, 10), LONGEST_RETRY_MS);
}

/** Step name of the sleep after the call `callStep` found the model down. */
export function outageSleepStep(callStep: string): string {
  return `model-wait-${callStep}`;
}

/** Sleeps (durably) after an outage, before the call is made again. */
export async function sleepAfterOutage(step: WorkflowStep, callStep: string, outage: Outage): Promise<void> {
  await step.sleep(outageSleepStep(callStep), outage.retryInMs);
}
