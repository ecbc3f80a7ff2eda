import {
  ACTIVE_TASK_STATUSES,
  ATTEMPT_EVENTS,
  BernsteinError,
  BUDGET_LIMITS,
  type BudgetAnswer,
  type BudgetRequest,
  isTerminalRunStatus,
  roundUsd,
} from "@bernstein/core";
import type { Ctx } from "./context.js";

/** Share of the budget at which the run warns once. */
const WARN_AT = 0.8;

function reserved(c: Ctx): number {
  return Object.values(c.tx.memory.reservations).reduce((sum, usd) => sum + usd, 0);
}

/**
 * Reserves a model call's worst-case cost before it starts. The run's spend plus what is
 * reserved never passes the budget, so the spent total can exceed it only by what a call
 * costs beyond its reserved worst case (nothing, when the estimate holds). Without headroom the
 * run pauses and the attempt parks until more budget arrives (or the run is cancelled).
 */
export function reserve(c: Ctx, request: BudgetRequest, taskId: string | null): BudgetAnswer {
  const { tx } = c;
  const run = tx.run;
  if (isTerminalRunStatus(run.status)) {
    return { kind: "stop", error: { code: "illegal_transition", message: `the run is ${run.status}` } };
  }
  const key = `${request.instanceId}/${request.step}`;
  if (tx.memory.reservations[key] !== undefined) return { kind: "granted" }; // a replayed step
  if (taskId) {
    const task = tx.task(taskId);
    if (task.maxCostUsd !== null && task.costUsd + request.worstCaseUsd > task.maxCostUsd) {
      return {
        kind: "stop",
        error: {
          code: "budget_exhausted",
          message: `the task's max_cost_usd of $${task.maxCostUsd} cannot cover another call (spent $${task.costUsd})`,
        },
      };
    }
  }
  const fits = run.budgetUsd === null || run.spentUsd + reserved(c) + request.worstCaseUsd <= run.budgetUsd;
  if (run.status === "paused" || !fits) {
    if (run.status === "running") {
      pauseForBudget(
        c,
        `spent $${run.spentUsd} of the $${run.budgetUsd} budget, and the next call may cost up to $${request.worstCaseUsd}`,
      );
    }
    if (!tx.memory.parked.includes(request.instanceId)) tx.memory.parked.push(request.instanceId);
    return { kind: "wait" };
  }
  tx.memory.reservations[key] = request.worstCaseUsd;
  return { kind: "granted" };
}

/** A call finished: its reservation gives way to its real cost; warns once at 80%. */
export function settleSpend(c: Ctx, key: string): void {
  const { tx } = c;
  delete tx.memory.reservations[key];
  const run = tx.run;
  if (tx.ended) return; // late usage of an ended run: no warning after its end
  if (run.budgetUsd !== null && !tx.memory.budgetWarned && run.spentUsd >= WARN_AT * run.budgetUsd) {
    tx.memory.budgetWarned = true;
    tx.emit("budget.warning", null, { spentUsd: run.spentUsd, budgetUsd: run.budgetUsd, share: WARN_AT });
  }
}

/**
 * More budget: a run paused for money runs again and every parked attempt retries its call.
 * A run that ended takes none (409), and the budget never passes `BUDGET_LIMITS.maxRunUsd` (422).
 */
export function addBudget(c: Ctx, addUsd: number): void {
  const { tx } = c;
  if (isTerminalRunStatus(tx.run.status)) {
    throw new BernsteinError("illegal_transition", `run ${tx.run.id} is ${tx.run.status}; it takes no more budget`);
  }
  const budget = roundUsd((tx.run.budgetUsd ?? tx.run.spentUsd) + addUsd);
  if (budget > BUDGET_LIMITS.maxRunUsd) {
    throw new BernsteinError(
      "limit_exceeded",
      `the budget would be $${budget}; a run's budget is at most $${BUDGET_LIMITS.maxRunUsd}`,
      { details: { limit: BUDGET_LIMITS.maxRunUsd } },
    );
  }
  tx.patchRun({ budgetUsd: budget });
  tx.audit("user", "budget.add", { addUsd, budgetUsd: budget });
  tx.emit("budget.warning", null, { spentUsd: tx.run.spentUsd, budgetUsd: budget, added: addUsd });
  tx.memory.budgetWarned = tx.run.spentUsd >= WARN_AT * budget;
  if (tx.run.status === "paused") tx.setRunStatus("running", { error: null });
  releaseParked(c, { kind: "granted" });
}

/** Wakes every parked attempt with `answer` (granted: retry the call; stop: end). */
export function releaseParked(c: Ctx, answer: BudgetAnswer): void {
  for (const instanceId of c.tx.memory.parked) {
    c.tx.notify(instanceId, ATTEMPT_EVENTS.budget, answer);
  }
  c.tx.memory.parked = [];
}

/**
 * After every change: with the budget spent, no task running and tasks waiting, nothing can
 * start any more (the scheduler claims nothing without headroom), so the run pauses.
 */
export function pauseIfSpent(c: Ctx): void {
  const run = c.tx.run;
  if (run.status !== "running" || run.budgetUsd === null || run.spentUsd < run.budgetUsd) return;
  if (c.tx.count(ACTIVE_TASK_STATUSES) > 0 || c.tx.count("open") === 0) return;
  pauseForBudget(c, `spent $${run.spentUsd} of the $${run.budgetUsd} budget; tasks wait`);
}

function pauseForBudget(c: Ctx, message: string): void {
  const { tx } = c;
  const run = tx.run;
  tx.emit("budget.warning", null, { spentUsd: run.spentUsd, budgetUsd: run.budgetUsd, paused: true });
  tx.audit("coordinator", "run.pause", { reason: "budget_exhausted", spentUsd: run.spentUsd });
  tx.setRunStatus("paused", { error: { code: "budget_exhausted", message } });
}
