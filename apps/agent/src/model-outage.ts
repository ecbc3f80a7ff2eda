import type { WorkflowStep } from "cloudflare:workers";
import type { ArtifactStore } from "@bernstein/artifacts";
import {
  ATTEMPT_EVENT_SCHEMAS,
  ATTEMPT_EVENTS,
  type CoordinatorApi,
  type ErrorJson,
  type ModelOutageReport,
  toBernsteinError,
} from "@bernstein/core";
import { doStep, type Journal, RETRY, waitForJournaledEvent } from "@bernstein/workflow";
import { BUDGET_WAIT } from "./call-budget.js";

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

/** A try of a model call that did not answer: the budget cannot pay for it yet. */
export interface Parked {
  kind: "parked";
}

/** The budget said the call must not be made (the run stopped, or its budget is spent for good). */
export interface Stopped {
  kind: "stopped";
  error: ErrorJson;
}

/** One model call (a planning call, an agent's turn) tried until it answers. */
export interface CallLoop<A extends { kind: string }> {
  step: WorkflowStep;
  /** Where an answer is journaled and spilled: only an answer, since parked and outage must be asked again after a restart. */
  store: ArtifactStore;
  runId: string;
  /** Records the budget events, and the answers unless `journalAnswers` is false. */
  journal: Journal;
  /** False: the caller keeps the answers itself (an agent's turns: in the transcript). Default true. */
  journalAnswers?: boolean;
  /** The step name of the `k`-th try (0: the call's own name). */
  callStep(k: number): string;
  /** The step name of the wait for budget after the `k`-th try parked. */
  budgetStep(k: number): string;
  /** One try, as the step `stepName`, after `failures` outages in a row. */
  call(stepName: string, failures: number): Promise<A | Parked | Outage>;
}

/**
 * Tries a model call until it answers, the same way for planning and for an agent's turns.
 * Each try is a step of its own (`callStep(k)`). After an outage it sleeps (`retryDelayMs`)
 * and tries again, for as long as the outage lasts. Parked (the budget cannot pay yet), it
 * waits for a `budget` event (`budgetStep(k)`), then tries again, unless the event says stop.
 * Returns the first answer, or `stopped`.
 */
export async function callUntilAnswered<A extends { kind: string }>(loop: CallLoop<A>): Promise<A | Stopped> {
  const isAnswer = (r: A | Parked | Outage): r is A => r.kind !== "parked" && r.kind !== "outage";
  const options = {
    store: loop.store,
    runId: loop.runId,
    ...(loop.journalAnswers === false ? {} : { journal: loop.journal, journalIf: isAnswer }),
  };
  let failures = 0;
  for (let k = 0; ; k++) {
    const name = loop.callStep(k);
    const result = await doStep(loop.step, name, RETRY.model, () => loop.call(name, failures), options);
    if (isAnswer(result)) return result;
    if (result.kind === "outage") {
      failures += 1;
      await sleepAfterOutage(loop.step, name, result);
      continue;
    }
    failures = 0;
    const answer = await waitForJournaledEvent(
      loop.step,
      loop.budgetStep(k),
      { type: ATTEMPT_EVENTS.budget, timeout: BUDGET_WAIT },
      ATTEMPT_EVENT_SCHEMAS.budget,
      loop.journal,
    );
    if (answer.kind === "stop") return { kind: "stopped", error: answer.error };
  }
}
