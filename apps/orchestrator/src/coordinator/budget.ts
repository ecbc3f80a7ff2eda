import {
  ACTIVE_TASK_STATUSES,
  ATTEMPT_EVENTS,
  BernsteinError,
  BUDGET_LIMITS,
  type BudgetAnswer,
  type BudgetRequest,
  formatUsd,
  isModelPause,
  isTerminalRunStatus,
  roundUsd,
  sizeCall,
} from "@bernstein/core";
import type { Ctx } from "./context.js";

/** Share of the budget at which the run warns once. */
const WARN_AT = 0.8;

// Reads go through `memoryView`: asking `tx.memory` drafts a copy of the memory, which the
// commit then serializes and writes. Most changes only check the budget.
function reserved(c: Ctx): number {
  return Object.values(c.tx.memoryView.reservations).reduce((sum, usd) => sum + usd, 0);
}

/**
 * Sizes a model call to what the budget can pay (`sizeCall`) and reserves the sized call's
 * worst case before it starts. The run's spend plus what is reserved never passes the budget,
 * so neither does the spend. When not even the call's floor fits, the attempt (or planning)
 * parks: while other calls are in flight it waits for their real costs (their reservations
 * free what they did not use); with nothing in flight the run pauses until more budget arrives
 * (or the run is cancelled). A task's own `max_cost_usd` stops the attempt instead.
 */
export function reserve(c: Ctx, request: BudgetRequest, taskId: string | null): BudgetAnswer {
  const { tx } = c;
  const run = tx.run;
  if (isTerminalRunStatus(run.status)) {
    return { kind: "stop", error: { code: "illegal_transition", message: `the run is ${run.status}` } };
  }
  const key = `${request.instanceId}/${request.step}`;
  const known = tx.memoryView;
  if (known.reservations[key] !== undefined) return granted(known.reservedTokens?.[key]); // a replayed step
  // A run paused because its model is down keeps probing it: those calls are not parked.
  if (run.status === "paused" && !isModelPause(run)) return park(c, request.instanceId);
  const call = {
    model: request.model,
    inputTokens: request.inputTokens,
    maxOutputTokens: request.maxOutputTokens,
    minOutputTokens: request.minOutputTokens,
  };
  const task = taskId ? tx.task(taskId) : null;
  const taskLeft = task?.maxCostUsd == null ? null : roundUsd(task.maxCostUsd - task.costUsd);
  if (task && taskLeft !== null) {
    const forTask = sizeCall({ ...call, remainingUsd: taskLeft });
    if (forTask.kind === "pause") {
      return {
        kind: "stop",
        error: {
          code: "budget_exhausted",
          message: `the task's max_cost_usd of ${formatUsd(taskLeft + task.costUsd)} cannot cover another call (spent ${formatUsd(task.costUsd)}, the next call may cost ${formatUsd(forTask.neededUsd)})`,
        },
      };
    }
  }
  const runLeft = run.budgetUsd === null ? null : roundUsd(run.budgetUsd - run.spentUsd - reserved(c));
  const size = sizeCall({ ...call, remainingUsd: smaller(runLeft, taskLeft) });
  if (size.kind === "pause") {
    // Calls in flight may cost less than they reserved: wait for them before pausing the run.
    if (reserved(c) === 0) pauseForBudget(c, size.neededUsd);
    return park(c, request.instanceId);
  }
  tx.memory.reservations[key] = size.worstCaseUsd;
  tx.memory.reservedTokens = { ...tx.memory.reservedTokens, [key]: size.maxOutputTokens };
  return granted(size.maxOutputTokens);
}

function granted(maxOutputTokens: number | undefined): BudgetAnswer {
  return maxOutputTokens === undefined ? { kind: "granted" } : { kind: "granted", maxOutputTokens };
}

function park(c: Ctx, instanceId: string): BudgetAnswer {
  if (!c.tx.memoryView.parked.includes(instanceId)) c.tx.memory.parked.push(instanceId);
  return { kind: "wait" };
}

function smaller(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** A call finished: its reservation gives way to its real cost; warns once at 80%. */
export function settleSpend(c: Ctx, key: string): void {
  const { tx } = c;
  delete tx.memory.reservations[key];
  if (tx.memory.reservedTokens) delete tx.memory.reservedTokens[key];
  const run = tx.run;
  if (tx.ended) return; // late usage of an ended run: no warning after its end
  // Calls parked behind this one's reservation ask again: what it did not use may pay for them.
  if (run.status !== "paused" && tx.memory.parked.length > 0) releaseParked(c, { kind: "granted" });
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
  // A run paused before its plan came back to planning; any other goes on running.
  if (tx.run.status === "paused") tx.setRunStatus(tx.taskCount() === 0 ? "planning" : "running", { error: null });
  releaseParked(c, { kind: "granted" });
}

/** Wakes every parked attempt with `answer` (granted: retry the call; stop: end). */
export function releaseParked(c: Ctx, answer: BudgetAnswer): void {
  if (c.tx.memoryView.parked.length === 0) return;
  for (const instanceId of c.tx.memory.parked) {
    c.tx.notify(instanceId, ATTEMPT_EVENTS.budget, answer);
  }
  c.tx.memory.parked = [];
}

/**
 * After every change: parked calls with nothing in flight ask again; with the budget spent, no
 * task running and tasks waiting, nothing can start any more (the scheduler claims nothing
 * without headroom), so the run pauses.
 */
export function pauseIfSpent(c: Ctx): void {
  const run = c.tx.run;
  // Calls parked behind reservations that are gone (their attempts ended) ask again.
  if (run.status === "running" && c.tx.memoryView.parked.length > 0 && reserved(c) === 0) {
    releaseParked(c, { kind: "granted" });
  }
  if (run.status !== "running" || run.budgetUsd === null || run.spentUsd < run.budgetUsd) return;
  if (c.tx.count(ACTIVE_TASK_STATUSES) > 0 || c.tx.count("open") === 0) return;
  pauseForBudget(c, null);
}

/**
 * Pauses the run for its budget (from `planning` or `running`). The stored message names no
 * amounts: views compute spent and budget when they show the pause (`budgetPauseText` in
 * core), so it never goes stale; `details.neededUsd` is the worst case of the call that waits.
 */
function pauseForBudget(c: Ctx, neededUsd: number | null): void {
  const { tx } = c;
  const run = tx.run;
  if (run.status !== "running" && run.status !== "planning") return;
  tx.emit("budget.warning", null, { spentUsd: run.spentUsd, budgetUsd: run.budgetUsd, paused: true });
  tx.audit("coordinator", "run.pause", { reason: "budget_exhausted", spentUsd: run.spentUsd });
  const waiting = run.status === "planning" ? "the planning call" : "the next model call";
  tx.setRunStatus("paused", {
    error: {
      code: "budget_exhausted",
      message: `the budget cannot pay for ${waiting}`,
      ...(neededUsd === null ? {} : { details: { neededUsd } }),
    },
  });
}
