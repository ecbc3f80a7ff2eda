import type { RunState } from "@bernstein/core";
import { calculatorScript } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRunState, watchRunState } from "../src/index.js";
import { startTestStack, type TestStack } from "./support/stack.js";

// The stack ends every live event subscription after one second (EVENT_STREAM_MAX_SECONDS), so
// a run of several seconds is followed across streams the server itself closed.
let t: TestStack;
beforeAll(async () => {
  t = await startTestStack(calculatorScript({ delayMs: 700 }), { EVENT_STREAM_MAX_SECONDS: "1" });
});
afterAll(() => t?.stop());

describe("a stream the server closes", () => {
  it("is resumed from the last seq and ends in the same state as a fresh load", async () => {
    const run = await t.startCalculatorRun();
    let reconnects = 0;
    const seqs: number[] = [];
    let last: RunState | undefined;
    for await (const { state, event } of watchRunState(t.client, run.id, {
      reconnectDelayMs: 20,
      onConnection: (change) => {
        if (change.status === "reconnecting") reconnects++;
      },
    })) {
      if (event) seqs.push(event.seq);
      last = state;
    }
    expect(reconnects).toBeGreaterThanOrEqual(2);
    // Every event after the snapshot once, in order: no gap, no repeat across the reconnects.
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    expect(last?.status).toBe("completed");
    expect(last).toEqual(await loadRunState(t.client, run.id));
  }, 60_000);
});
