import {
  type AttemptCost,
  BURN_WINDOW_SECONDS,
  type BudgetShare,
  type BurnRate,
  type CostEvent,
  type CostReport,
  NO_TOKENS,
  roundUsd,
  type TaskCost,
  type TokenCounts,
} from "@bernstein/core";
import type { Db } from "../create-db.js";
import { runs } from "../schema.js";
import {
  type AnySqliteDb,
  type CostGroup,
  PLANNER_ROLE,
  type RunnerGroup,
  selectCostGroups,
  selectRunnerGroups,
  selectSpendSince,
  sumCosts,
  sumRunnerSeconds,
} from "./cost.js";

/** What a cost report is made of; the grouping queries of `cost.ts` give the groups. */
export interface CostReportParts {
  groups: readonly CostGroup[];
  runner: readonly RunnerGroup[];
  /** Every run the report covers: a run without spend is in `byRun` at 0. */
  runIds: readonly string[];
  events: CostEvent[];
  budget: BudgetShare | null;
  burn: BurnRate | null;
}

/** Sums the groups into a `CostReport`: spend, tokens and runner time by run, task, attempt, model and role. */
export function buildCostReport(parts: CostReportParts): CostReport {
  const totals = sumCosts(parts.groups);
  for (const id of parts.runIds) totals.byRun[id] ??= 0;
  const runnerSeconds = sumRunnerSeconds(parts.runner);
  const tokensBy: CostReport["tokensBy"] = { run: {}, task: {}, attempt: {}, model: {}, role: {} };
  const byAttempt: Record<string, number> = {};
  const tokens = { ...NO_TOKENS };
  let calls = 0;
  const tasks = new Map<string, TaskCost>();
  for (const g of parts.groups) {
    const t = tokensOf(g);
    calls += g.calls;
    addTokens(tokens, t);
    addTo(tokensBy.run, g.runId, t);
    addTo(tokensBy.model, g.model, t);
    addTo(tokensBy.role, g.role ?? PLANNER_ROLE, t);
    if (g.attemptId !== null) {
      addTo(tokensBy.attempt, g.attemptId, t);
      byAttempt[g.attemptId] = (byAttempt[g.attemptId] ?? 0) + g.usd;
    }
    if (g.taskId === null) continue;
    addTo(tokensBy.task, g.taskId, t);
    const task = taskEntry(tasks, g.taskId, g);
    task.usd += g.usd;
    task.calls += g.calls;
    addTokens(task.tokens, t);
    if (g.attemptId === null) continue;
    const attempt = attemptEntry(task, g.attemptId);
    attempt.usd += g.usd;
    attempt.calls += g.calls;
    addTokens(attempt.tokens, t);
  }
  for (const r of parts.runner) {
    const task = r.taskId === null ? undefined : tasks.get(r.taskId);
    if (task && r.attemptId !== null) attemptEntry(task, r.attemptId);
  }
  for (const task of tasks.values()) {
    task.usd = roundUsd(task.usd);
    task.runnerSeconds = runnerSeconds.byTask[task.id] ?? 0;
    for (const a of task.attempts) {
      a.usd = roundUsd(a.usd);
      a.runnerSeconds = runnerSeconds.byAttempt[a.id] ?? 0;
    }
    task.attempts.sort((a, b) => a.n - b.n);
  }
  for (const key of Object.keys(byAttempt)) byAttempt[key] = roundUsd(byAttempt[key] ?? 0);
  return {
    ...totals,
    events: parts.events,
    runnerSeconds,
    byAttempt,
    calls,
    tokens,
    tokensBy,
    tasks: [...tasks.values()].sort((a, b) => b.usd - a.usd || a.planId.localeCompare(b.planId)),
    budget: parts.budget,
    burn: parts.burn,
  };
}

/** A run's spend against its budget. */
export function budgetShareOf(run: { budgetUsd: number | null; spentUsd: number }): BudgetShare {
  const spentUsd = roundUsd(run.spentUsd);
  return {
    budgetUsd: run.budgetUsd,
    spentUsd,
    share: run.budgetUsd === null ? null : Math.round((spentUsd / run.budgetUsd) * 1e4) / 1e4,
  };
}

/** Where the burn-rate window of a report made at `now` starts (ISO time). */
export function burnSince(now: number): string {
  return new Date(now - BURN_WINDOW_SECONDS * 1000).toISOString();
}

/** The burn rate from the spend of the window before `now`. */
export function burnRateOf(usd: number | null, now: number): BurnRate {
  const spent = roundUsd(usd ?? 0);
  return {
    windowSeconds: BURN_WINDOW_SECONDS,
    at: new Date(now).toISOString(),
    usd: spent,
    usdPerMinute: roundUsd(spent / (BURN_WINDOW_SECONDS / 60)),
  };
}

/** The report of one run from a store that holds it (a coordinator's SQLite). */
export function runCostReportOf(
  db: AnySqliteDb<"sync">,
  run: { id: string; budgetUsd: number | null; spentUsd: number },
  events: CostEvent[],
  now: number,
): CostReport {
  const filter = { runId: run.id };
  return buildCostReport({
    groups: selectCostGroups(db, filter),
    runner: selectRunnerGroups(db, filter),
    runIds: [run.id],
    events,
    budget: budgetShareOf(run),
    burn: burnRateOf(selectSpendSince(db, burnSince(now), filter)[0]?.usd ?? null, now),
  });
}

/** The report of every run, from D1 (the read model): no events and no budget, every run counted. */
export async function allRunsCostReport(db: Db, now: number): Promise<CostReport> {
  const [groups, runner, runIds, spend] = await Promise.all([
    selectCostGroups(db),
    selectRunnerGroups(db),
    db.select({ id: runs.id }).from(runs).all(),
    selectSpendSince(db, burnSince(now)),
  ]);
  return buildCostReport({
    groups,
    runner,
    runIds: runIds.map((r) => r.id),
    events: [],
    budget: null,
    burn: burnRateOf(spend[0]?.usd ?? null, now),
  });
}

function tokensOf(g: CostGroup): TokenCounts {
  return { in: g.tokensIn, out: g.tokensOut, cacheRead: g.cacheRead, cacheWrite: g.cacheWrite };
}

function addTokens(into: TokenCounts, t: TokenCounts): void {
  into.in += t.in;
  into.out += t.out;
  into.cacheRead += t.cacheRead;
  into.cacheWrite += t.cacheWrite;
}

function addTo(map: Record<string, TokenCounts>, key: string, t: TokenCounts): void {
  const into = map[key] ?? { ...NO_TOKENS };
  map[key] = into;
  addTokens(into, t);
}

function taskEntry(tasks: Map<string, TaskCost>, id: string, g: CostGroup): TaskCost {
  let task = tasks.get(id);
  if (!task) {
    task = {
      id,
      runId: g.runId,
      planId: g.planId ?? "",
      title: g.title ?? "",
      role: g.role ?? "",
      usd: 0,
      calls: 0,
      tokens: { ...NO_TOKENS },
      runnerSeconds: 0,
      attempts: [],
    };
    tasks.set(id, task);
  }
  return task;
}

function attemptEntry(task: TaskCost, id: string): AttemptCost {
  let attempt = task.attempts.find((a) => a.id === id);
  if (!attempt) {
    // Instance ids end in `-a<n>` (`attemptInstanceId`).
    const n = Number(/-a(\d+)$/.exec(id)?.[1] ?? 1);
    attempt = { id, n, usd: 0, calls: 0, tokens: { ...NO_TOKENS }, runnerSeconds: 0 };
    task.attempts.push(attempt);
  }
  return attempt;
}
