import type { MeterCounts } from "@bernstein/core";
import { FREE_LIMITS, PAID_METERS, type Usage, type UsageKey } from "./cost-prices.js";

/** The billed quantities of one run, from both Workers' counters. */
export function usageOf(orchestrator: MeterCounts, agent: MeterCounts): Usage {
  const both = [orchestrator, agent];
  const sum = (pick: (c: MeterCounts) => number) => both.reduce((total, c) => total + pick(c), 0);
  const invocations = (c: MeterCounts) => Object.values(c.invocations).reduce((a, b) => a + b, 0);
  return {
    workersRequests: sum(invocations),
    workflowInvocations: sum((c) => c.workflows.runs),
    // Each stub call is one request, and so is each alarm.
    durableObjectRequests: sum((c) => c.durableObjects.requests + c.durableObjects.alarms),
    // KV-style calls on a SQLite-backed object are rows of its hidden KV table.
    durableObjectRowsRead: sum((c) => c.durableObjects.sqlRowsRead + c.durableObjects.kvReads),
    durableObjectRowsWritten: sum((c) => c.durableObjects.sqlRowsWritten + c.durableObjects.kvWrites),
    d1RowsRead: sum((c) => c.d1.rowsRead),
    d1RowsWritten: sum((c) => c.d1.rowsWritten),
    r2ClassA: sum((c) => c.r2.classA),
    r2ClassB: sum((c) => c.r2.classB),
  };
}

const total = (usage: Usage, of: readonly UsageKey[]) => of.reduce((sum, key) => sum + usage[key], 0);

/** On Workers Free: how many such runs fit in a day under each limit, and which limit binds first. */
export interface FreeFit {
  limits: { name: string; perRun: number; perDay: number; runsPerDay: number }[];
  runsPerDay: number;
  binding: string;
}

export function freeFit(usage: Usage): FreeFit {
  const limits = FREE_LIMITS.map((limit) => {
    const perRun = total(usage, limit.of);
    return {
      name: limit.name,
      perRun,
      perDay: limit.perDay,
      runsPerDay: perRun === 0 ? Number.POSITIVE_INFINITY : Math.floor(limit.perDay / perRun),
    };
  });
  const first = limits.reduce((a, b) => (b.runsPerDay < a.runsPerDay ? b : a));
  return { limits, runsPerDay: first.runsPerDay, binding: first.name };
}

/** On Workers Paid: the price of one run beyond the included usage, meter by meter. */
export interface PaidCost {
  meters: { name: string; perRun: number; usdPerRun: number; runsIncludedPerMonth: number }[];
  usdPerRun: number;
  /** Runs a month before any meter goes past what is included, and the meter that does first. */
  runsIncludedPerMonth: number;
  binding: string;
}

export function paidCost(usage: Usage): PaidCost {
  const meters = PAID_METERS.map((meter) => {
    const perRun = total(usage, meter.of);
    return {
      name: meter.name,
      perRun,
      usdPerRun: (perRun / 1_000_000) * meter.usdPerMillion,
      runsIncludedPerMonth: perRun === 0 ? Number.POSITIVE_INFINITY : Math.floor(meter.includedPerMonth / perRun),
    };
  });
  const first = meters.reduce((a, b) => (b.runsIncludedPerMonth < a.runsIncludedPerMonth ? b : a));
  return {
    meters,
    usdPerRun: meters.reduce((sum, m) => sum + m.usdPerRun, 0),
    runsIncludedPerMonth: first.runsIncludedPerMonth,
    binding: first.name,
  };
}
