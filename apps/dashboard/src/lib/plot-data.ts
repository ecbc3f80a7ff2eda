import type { RunState } from "@bernstein/core";

/** uPlot's columns: seconds since the epoch, spend in USD, tasks merged. */
export type PlotColumns = [number[], number[], number[]];

/**
 * The run's timeline (core's reducer builds it from the event log) as plot columns: from
 * zero at the run's start, one point per cost or merge, and held flat until `endMs` (the run's
 * end, or now while it goes on).
 */
export function plotColumns(state: RunState, endMs: number): PlotColumns {
  const start = Date.parse(state.createdAt) / 1000;
  const xs = [start];
  const spend = [0];
  const merged = [0];
  for (const point of state.timeline) {
    xs.push(Math.max(start, Date.parse(point.at) / 1000));
    spend.push(point.spentUsd);
    merged.push(point.merged);
  }
  const end = (state.finishedAt ? Date.parse(state.finishedAt) : endMs) / 1000;
  xs.push(Math.max(end, xs[xs.length - 1] as number));
  spend.push(spend[spend.length - 1] as number);
  merged.push(merged[merged.length - 1] as number);
  return [xs, spend, merged];
}
