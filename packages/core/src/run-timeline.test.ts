import { describe, expect, it } from "vitest";
import { extendTimeline, TIMELINE_LIMIT } from "./run-timeline.js";
import type { RunEvent } from "./schemas/run-event.js";
import type { TimelinePoint } from "./schemas/run-state.js";

const event = (seq: number, type: RunEvent["type"], data: Record<string, unknown> = {}): RunEvent => ({
  runId: "r_aaaaaaaaaaaa",
  seq,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, seq)).toISOString(),
  type,
  taskId: null,
  data,
});

describe("extendTimeline", () => {
  it("adds a point for cost and merge events only, and keeps the same array otherwise", () => {
    const empty: TimelinePoint[] = [];
    expect(extendTimeline(empty, event(1, "task.status"))).toBe(empty);
    const one = extendTimeline(empty, event(2, "cost", { usd: 0.25 }));
    expect(one).toEqual([{ seq: 2, at: event(2, "cost").at, spentUsd: 0.25, merged: 0 }]);
    const two = extendTimeline(one, event(3, "merge.applied", { seq: 1 }));
    expect(two[1]).toMatchObject({ seq: 3, spentUsd: 0.25, merged: 1 });
    // The run's own total wins over the sum when the event carries it.
    expect(extendTimeline(two, event(4, "cost", { usd: 0.1, runSpentUsd: 0.5 }))[2]).toMatchObject({ spentUsd: 0.5 });
  });

  it("thins its older half past TIMELINE_LIMIT, keeping the newest points and the last total", () => {
    let timeline: TimelinePoint[] = [];
    const n = TIMELINE_LIMIT * 3;
    for (let seq = 1; seq <= n; seq++) timeline = extendTimeline(timeline, event(seq, "cost", { usd: 0.001 }));
    expect(timeline.length).toBeLessThanOrEqual(TIMELINE_LIMIT);
    expect(timeline.length).toBeGreaterThan(TIMELINE_LIMIT / 2);
    expect(timeline[timeline.length - 1]).toMatchObject({ seq: n, spentUsd: n * 0.001 });
    const seqs = timeline.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
