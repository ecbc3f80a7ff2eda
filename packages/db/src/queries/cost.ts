import { type CostEvent, roundUsd } from "@bernstein/core";
import { and, asc, eq, sum } from "drizzle-orm";
import { runInGroups, type Stmt } from "../batch.js";
import type { Db } from "../create-db.js";
import { chunkRows } from "../param-budget.js";
import { costEvents, jobs, tasks } from "../schema.js";

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

/** Spend of one (run, task, model, role) group; `role` is null for cost without a task. */
export interface CostGroup {
  runId: string;
  taskId: string | null;
  model: string;
  role: string | null;
  usd: number;
}

/** Total spend, of one run or of all runs, by run, task, model and task role. */
export async function costTotals(db: Db, filter: { runId?: string } = {}): Promise<CostTotals> {
  const groups = await db
    .select({
      runId: costEvents.runId,
      taskId: costEvents.taskId,
      model: costEvents.model,
      role: tasks.role,
      usd: sum(costEvents.costUsd).mapWith(Number),
    })
    .from(costEvents)
    .leftJoin(tasks, eq(tasks.id, costEvents.taskId))
    .where(filter.runId === undefined ? undefined : eq(costEvents.runId, filter.runId))
    .groupBy(costEvents.runId, costEvents.taskId, costEvents.model, tasks.role);
  return sumCosts(groups);
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

/** Runner time of the jobs (of one run, or all), by run, task and attempt. */
export async function runnerSeconds(db: Db, filter: { runId?: string } = {}): Promise<RunnerSeconds> {
  const groups = await db
    .select({
      runId: jobs.runId,
      taskId: jobs.taskId,
      attemptId: jobs.attemptId,
      ms: sum(jobs.durationMs).mapWith(Number),
    })
    .from(jobs)
    .where(filter.runId === undefined ? undefined : eq(jobs.runId, filter.runId))
    .groupBy(jobs.runId, jobs.taskId, jobs.attemptId);
  return sumRunnerSeconds(groups);
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
