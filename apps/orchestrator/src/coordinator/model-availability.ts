import {
  isModelPause,
  isTerminalRunStatus,
  MODEL_RETRYING_EVENT_MS,
  type ModelOutageReport,
  outageWhat,
  planInstanceId,
} from "@bernstein/core";
import { isActive } from "./attempts/start.js";
import { settleSpend } from "./budget.js";
import type { Ctx } from "./context.js";

/** What the coordinator remembers of an outage of the run's model, from its first failure on. */
export interface ModelOutage {
  /** When the first failure of this outage was reported. */
  since: string;
  /** When the last `model.retrying` event went out (they are throttled per run). */
  lastEventAt: string;
  provider: string;
  status: number | null;
}

/**
 * A workflow's model call failed in a way that waiting may cure. Its reservation gives way (the
 * call cost nothing). The run shows the outage as `model.retrying` at its first failure and then
 * at most every `MODEL_RETRYING_EVENT_MS`, whichever of its workflows reports; once the outage
 * lasted `pauseAfterMs` the run pauses as `model_unavailable`, its workflows go on probing, and
 * the first call that succeeds resumes it (`modelAnswered`). Reports of calls that no longer
 * count (a cancelled attempt, an ended run) only release their reservation.
 */
export function modelUnavailable(c: Ctx, report: ModelOutageReport, pauseAfterMs: number): void {
  const { tx } = c;
  settleSpend(c, `${report.instanceId}/${report.step}`);
  if (isTerminalRunStatus(tx.run.status) || !counts(c, report.instanceId)) return;
  const now = Date.parse(tx.now);
  const known = tx.memory.outage;
  const outage: ModelOutage = known
    ? { ...known, provider: report.provider, status: report.status }
    : { since: tx.now, lastEventAt: tx.now, provider: report.provider, status: report.status };
  if (!known || now - Date.parse(known.lastEventAt) >= MODEL_RETRYING_EVENT_MS) {
    outage.lastEventAt = tx.now;
    tx.emit("model.retrying", null, {
      provider: report.provider,
      status: report.status,
      retry_in: Math.round(report.retryInMs / 100) / 10,
      code: report.code,
      message: report.message,
      since: outage.since,
    });
  }
  tx.memory.outage = outage;
  const run = tx.run;
  if ((run.status === "running" || run.status === "planning") && now - Date.parse(outage.since) >= pauseAfterMs) {
    const what = outageWhat(outage.provider, outage.status);
    const minutes = Math.round(pauseAfterMs / 6_000) / 10;
    tx.audit("coordinator", "run.pause", {
      reason: "model_unavailable",
      provider: outage.provider,
      status: outage.status,
    });
    tx.setRunStatus("paused", {
      error: {
        code: "model_unavailable",
        message: `the model has not answered for ${minutes} min (${what}); the run retries and resumes by itself when it answers`,
        details: { provider: outage.provider, status: outage.status, since: outage.since },
      },
    });
  }
}

/**
 * A model call succeeded: an outage the run knew of is over. A run it paused goes on (back to
 * planning when it had no plan yet); either way an event says so.
 */
export function modelAnswered(c: Ctx): void {
  const { tx } = c;
  const outage = tx.memory.outage;
  if (!outage) return;
  delete tx.memory.outage;
  if (tx.ended || isTerminalRunStatus(tx.run.status)) return;
  const resumed = isModelPause(tx.run);
  if (resumed) {
    tx.audit("coordinator", "run.resume", { reason: "model_available", provider: outage.provider });
    tx.setRunStatus(tx.taskCount() === 0 ? "planning" : "running", { error: null });
  }
  const downS = Math.round((Date.parse(tx.now) - Date.parse(outage.since)) / 100) / 10;
  tx.emit("model.available", null, { provider: outage.provider, down_s: downS, resumed });
}

/** Whether the reporting call still belongs to the run's work (planning, or a live attempt). */
function counts(c: Ctx, instanceId: string): boolean {
  if (instanceId === planInstanceId(c.tx.run.id)) return c.tx.taskCount() === 0;
  return isActive(c.state, instanceId);
}
