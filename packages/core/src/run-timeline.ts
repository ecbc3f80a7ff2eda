import { roundUsd } from "./pricing.js";
import { dataNumber } from "./run-event-data.js";
import type { RunEvent } from "./schemas/run-event.js";
import type { TimelinePoint } from "./schemas/run-state.js";

/** How many points a run's timeline keeps before it thins its older half. */
export const TIMELINE_LIMIT = 2_000;

/**
 * The timeline after one more event: a point for each `cost` (spend so far, as the event
 * tells it) and each `merge.applied` (one more task merged). Other events leave it as is.
 * Built from the event log alone, so every replay of the same log draws the same plot.
 */
export function extendTimeline(timeline: TimelinePoint[], event: RunEvent): TimelinePoint[] {
  if (event.type !== "cost" && event.type !== "merge.applied") return timeline;
  const last = timeline[timeline.length - 1];
  const spent = last?.spentUsd ?? 0;
  const merged = last?.merged ?? 0;
  const point: TimelinePoint =
    event.type === "cost"
      ? {
          seq: event.seq,
          at: event.at,
          spentUsd: dataNumber(event.data, "runSpentUsd") ?? roundUsd(spent + (dataNumber(event.data, "usd") ?? 0)),
          merged,
        }
      : { seq: event.seq, at: event.at, spentUsd: spent, merged: merged + 1 };
  const next = [...timeline, point];
  return next.length > TIMELINE_LIMIT ? thin(next) : next;
}

/** Every other point of the older half (the newer half stays whole): the curve keeps its shape. */
function thin(points: readonly TimelinePoint[]): TimelinePoint[] {
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 1), ...points.slice(half)];
}
