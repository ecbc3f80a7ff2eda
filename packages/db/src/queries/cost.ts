import { type CostEvent, roundUsd } from "@bernstein/core";
import { and, asc, count, eq, gte, sum } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { runInGroups, type Stmt } from "../batch.js";
import type { Db } from "../create-db.js";
import { chunkRows } from "../param-budget.js";
import { costEvents, jobs, tasks } from "../schema.js";

/**
 * A Drizzle SQLite database of either kind: D1 (async) or a coordinator's own storage (sync).
 * The grouping queries below are built once for both; `.all()` answers in the kind's way.
 */
// biome-ignore lint/suspicious/noExplicitAny: the run-result and schema types differ by driver and do not matter to a select
export type AnySqliteDb<K extends "sync" | "async" = "sync" | "async"> = BaseSQLiteDatabase<K, any, any>;

/** What `.all()` of a query over `AnySqliteDb<K>` answers: the rows (sync) or their promise. */
export type Rows<K extends "sync" | "async", T> = K extends "sync" ? T[] : Promise<T[]>;

/** Role key of cost that belongs to no task: the planning call. */
export const PLANNER_ROLE = "planner";

/** Filter of `getCostEvents`. */
export interface CostFilter {
  runId?: string;
  taskId?: string;
}

/** Spend summed four ways, in USD rounded to a millionth. */
export interface CostTotals {
  totalUsd: number;
  byRun: Record<string, number>;
  /** Only costs with a task; the planning call is in `byRole.planner`. */
  byTask: Record<string, number>;
  byModel: Record<string, number>;
  /** By the role of the task the cost belongs to; task-less costs under `planner`. */
  byRole: Record<string, number>;
}

/** The INSERTs of cost events, chunked to D1's parameter limit, for a batch. */
export function insertCostEventsStmts(db: Db, list: readonly CostEvent[]): Stmt[] {
  return chunkRows(costEvents, list).map((rows) => db.insert(costEvents).values(rows).onConflictDoNothing());
}

/** Stores cost events; a call already recorded (same run, attempt and step) is skipped. */
export async function insertCostEvents(db: Db, list: readonly CostEvent[]): Promise<void> {
  await runInGroups(db, insertCostEventsStmts(db, list));
}

/** Cost events (of a run and/or a task when given), in the order they happened. */
export async function getCostEvents(db: Db, filter: CostFilter = {}): Promise<CostEvent[]> {
  const rows = await db
    .select()
    .from(costEvents)
    .where(
      and(
        filter.runId === undefined ? undefined : eq(costEvents.runId, filter.runId),
        filter.taskId === undefined ? undefined : eq(costEvents.taskId, filter.taskId),
      ),
    )
    .orderBy(asc(costEvents.at), asc(costEvents.id));
  return rows.map(({ id: _id, ...event }) => event);
}

/**
 * Spend and tokens of one (run, task, attempt, model) group of model calls, with the task's
 * role, plan id and title (null for cost without a task: the planning call).
 */
export interface CostGroup {
  runId: string;
  taskId: string | null;
  attemptId: string | null;
  model: string;
  role: string | null;
  planId: string | null;
  title: string | null;
  usd: number;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  cacheRead: number;
  cacheWrite: number;
}

const total = (column: Parameters<typeof sum>[0]) => sum(column).mapWith(Number);

/** The cost events (of one run, or all) grouped by run, task, attempt and model, summed in SQL. */
export function selectCostGroups<K extends "sync" | "async">(
  db: AnySqliteDb<K>,
  filter?: { runId?: string },
): Rows<K, CostGroup>;
export function selectCostGroups(db: AnySqliteDb, filter: { runId?: string } = {}): CostGroup[] | Promise<CostGroup[]> {
  return db
    .select({
      runId: costEvents.runId,
      taskId: costEvents.taskId,
      attemptId: costEvents.attemptId,
      model: costEvents.model,
      role: tasks.role,
      planId: tasks.planId,
      title: tasks.title,
      usd: total(costEvents.costUsd),
      calls: count(),
      tokensIn: total(costEvents.tokensIn),
      tokensOut: total(costEvents.tokensOut),
      cacheRead: total(costEvents.cacheReadTokens),
      cacheWrite: total(costEvents.cacheWriteTokens),
    })
    .from(costEvents)
    .leftJoin(tasks, eq(tasks.id, costEvents.taskId))
    .where(filter.runId === undefined ? undefined : eq(costEvents.runId, filter.runId))
    .groupBy(
      costEvents.runId,
      costEvents.taskId,
      costEvents.attemptId,
      costEvents.model,
      tasks.role,
      tasks.planId,
      tasks.title,
    )
    .all();
}

/** Spend of the model calls (of one run, or all) made at `since` or later (ISO time): one row. */
export function selectSpendSince<K extends "sync" | "async">(
  db: AnySqliteDb<K>,
  since: string,
  filter?: { runId?: string },
): Rows<K, { usd: number | null }>;
export function selectSpendSince(
  db: AnySqliteDb,
  since: string,
  filter: { runId?: string } = {},
): { usd: number | null }[] | Promise<{ usd: number | null }[]> {
  return db
    .select({ usd: total(costEvents.costUsd) })
    .from(costEvents)
    .where(and(gte(costEvents.at, since), filter.runId === undefined ? undefined : eq(costEvents.runId, filter.runId)))
    .all();
}

/** Total spend, of one run or of all runs, by run, task, model and task role. */
export async function costTotals(db: Db, filter: { runId?: string } = {}): Promise<CostTotals> {
  return sumCosts(await selectCostGroups(db, filter));
}

/** Sums spend groups four ways, rounded with core's `roundUsd`. */
export function sumCosts(groups: readonly CostGroup[]): CostTotals {
  const totals: CostTotals = { totalUsd: 0, byRun: {}, byTask: {}, byModel: {}, byRole: {} };
  for (const g of groups) {
    totals.totalUsd += g.usd;
    add(totals.byRun, g.runId, g.usd);
    if (g.taskId !== null) add(totals.byTask, g.taskId, g.usd);
    add(totals.byModel, g.model, g.usd);
    add(totals.byRole, g.role ?? PLANNER_ROLE, g.usd);
  }
  totals.totalUsd = roundUsd(totals.totalUsd);
  for (const map of [totals.byRun, totals.byTask, totals.byModel, totals.byRole]) {
    for (const key of Object.keys(map)) map[key] = roundUsd(map[key] ?? 0);
  }
  return totals;
}

/** Runner time of one (run, task, attempt) group of jobs, in milliseconds (null: none finished). */
export interface RunnerGroup {
  runId: string;
  taskId: string | null;
  attemptId: string | null;
  ms: number | null;
}

/** Runner time as `CostReport.runnerSeconds` has it: seconds rounded to a tenth. */
export interface RunnerSeconds {
  total: number;
  byRun: Record<string, number>;
  byTask: Record<string, number>;
  byAttempt: Record<string, number>;
}

/** The jobs (of one run, or all) grouped by run, task and attempt, their durations summed in SQL. */
export function selectRunnerGroups<K extends "sync" | "async">(
  db: AnySqliteDb<K>,
  filter?: { runId?: string },
): Rows<K, RunnerGroup>;
export function selectRunnerGroups(
  db: AnySqliteDb,
  filter: { runId?: string } = {},
): RunnerGroup[] | Promise<RunnerGroup[]> {
  return db
    .select({ runId: jobs.runId, taskId: jobs.taskId, attemptId: jobs.attemptId, ms: total(jobs.durationMs) })
    .from(jobs)
    .where(filter.runId === undefined ? undefined : eq(jobs.runId, filter.runId))
    .groupBy(jobs.runId, jobs.taskId, jobs.attemptId)
    .all();
}

/** Runner time of the jobs (of one run, or all), by run, task and attempt. */
export async function runnerSeconds(db: Db, filter: { runId?: string } = {}): Promise<RunnerSeconds> {
  return sumRunnerSeconds(await selectRunnerGroups(db, filter));
}

/** Sums runner time groups by run, task and attempt, in seconds rounded to a tenth. */
export function sumRunnerSeconds(groups: readonly RunnerGroup[]): RunnerSeconds {
  const totals: RunnerSeconds = { total: 0, byRun: {}, byTask: {}, byAttempt: {} };
  for (const g of groups) {
    const s = (g.ms ?? 0) / 1000;
    totals.total += s;
    add(totals.byRun, g.runId, s);
    if (g.taskId !== null) add(totals.byTask, g.taskId, s);
    if (g.attemptId !== null) add(totals.byAttempt, g.attemptId, s);
  }
  const tenth = (n: number) => Math.round(n * 10) / 10;
  totals.total = tenth(totals.total);
  for (const map of [totals.byRun, totals.byTask, totals.byAttempt]) {
    for (const key of Object.keys(map)) map[key] = tenth(map[key] ?? 0);
  }
  return totals;
}

function add(map: Record<string, number>, key: string, usd: number): void {
  map[key] = (map[key] ?? 0) + usd;
}
