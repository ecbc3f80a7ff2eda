import type { RunEvent, RunState } from "@bernstein/core";
import { calculatorScript, type DropProxy, startDropProxy } from "@bernstein/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConnectionChange, createClient, loadRunState, watchRunState } from "../src/index.js";
import { startTestStack, type TestStack, TOKEN } from "./support/stack.js";

let t: TestStack;
let proxy: DropProxy;

beforeAll(async () => {
  t = await startTestStack(calculatorScript());
  proxy = await startDropProxy(t.stack.url);
});
afterAll(async () => {
  await proxy?.close();
  await t?.stop();
});

async function seqs(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const out: number[] = [];
  for await (const event of iterable) out.push(event.seq);
  return out;
}

describe("events", () => {
  it("replays a finished run's log in order, from any seq, and ends", async () => {
    const run = await t.startCalculatorRun();
    const all = await seqs(t.client.events(run.id));
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(await seqs(t.client.events(run.id, { after: all.length - 2 }))).toEqual(all.slice(-2));
    expect(await seqs(t.client.events(run.id, { after: all.length }))).toEqual([]);
  });

  it("ends quietly when the signal aborts", async () => {
    const run = await t.startCalculatorRun();
    const controller = new AbortController();
    const got: number[] = [];
    for await (const event of t.client.events(run.id, { signal: controller.signal })) {
      got.push(event.seq);
      controller.abort();
    }
    expect(got).toEqual([1]);
    await seqs(t.client.events(run.id));
  });

  it("throws not_found at once for an unknown run", async () => {
    const changes: ConnectionChange[] = [];
    const events = t.client.events("r_000000000000", { onConnection: (c) => changes.push(c) });
    await expect(seqs(events)).rejects.toMatchObject({ code: "not_found" });
    expect(changes.map((c) => c.status)).toEqual(["connecting"]);
  });

  it("resumes after the connection is cut mid-run, without losing or repeating an event", async () => {
    // The model's answers are held while the connection is cut, so the run is still going (and
    // its stream open) at both cuts: the first on the first event, the second as soon as the
    // new connection is live (the events so far may all have come before the first cut).
    const release = t.model.hold();
    const run = await t.startCalculatorRun();
    const changes: ConnectionChange[] = [];
    const cut = createClient({ baseUrl: proxy.url, token: TOKEN });
    const opened = proxy.opened;
    const got: number[] = [];
    let drops = 0;
    const onConnection = (c: ConnectionChange) => {
      changes.push(c);
      if (c.status === "live" && drops === 1 && proxy.dropAll() > 0) {
        drops++;
        release();
      }
    };
    for await (const event of cut.events(run.id, { reconnectDelayMs: 20, onConnection })) {
      got.push(event.seq);
      if (drops === 0) {
        expect(proxy.dropAll()).toBeGreaterThan(0);
        drops++;
      }
    }
    const uninterrupted = await seqs(t.client.events(run.id));
    expect(drops).toBe(2);
    expect(got).toEqual(uninterrupted);
    expect(got).toEqual(got.map((_, i) => i + 1));
    expect(proxy.opened - opened).toBeGreaterThanOrEqual(3);
    // Each reconnect resumes after the last event handed out (a frame or two may have arrived with the cut one).
    const resumes = changes.filter((c) => c.status === "reconnecting").map((c) => c.after);
    expect(resumes).toHaveLength(2);
    expect(resumes[0]).toBeGreaterThanOrEqual(1);
    expect(resumes[1]).toBeGreaterThanOrEqual(resumes[0] ?? 0);
  });

  it("replaces a connection that goes silent (half-open) and goes on without a gap", async () => {
    const release = t.model.hold(); // the run cannot end before the connection froze
    const run = await t.startCalculatorRun();
    const cut = createClient({ baseUrl: proxy.url, token: TOKEN });
    const changes: ConnectionChange[] = [];
    const got: number[] = [];
    const events = cut.events(run.id, {
      idleTimeoutMs: 1_500,
      reconnectDelayMs: 20,
      onConnection: (c) => changes.push(c),
    });
    let frozen = false;
    for await (const event of events) {
      got.push(event.seq);
      if (!frozen) {
        frozen = true;
        expect(proxy.freezeAll()).toBeGreaterThan(0);
      } else release();
    }
    expect(got).toEqual(await seqs(t.client.events(run.id)));
    const lost = changes.find((c) => c.status === "reconnecting");
    expect(lost?.error).toMatchObject({ code: "stack_unreachable", message: "the event stream sent nothing for 2 s" });
  });

  it("gives up with stack_unreachable when the stack stays away", async () => {
    const gone = await startDropProxy(t.stack.url);
    const release = t.model.hold(); // the run is still going when the stack goes away
    const run = await t.startCalculatorRun();
    const client = createClient({ baseUrl: gone.url, token: TOKEN });
    const events = client.events(run.id, { maxReconnects: 2, reconnectDelayMs: 10 });
    const read = (async () => {
      for await (const _event of events) await gone.close();
    })();
    await expect(read).rejects.toMatchObject({ code: "stack_unreachable" });
    release();
    await seqs(t.client.events(run.id));
  });
});

describe("watchRunState", () => {
  it("ends in the same reduced state through dropped connections as without", async () => {
    // Held answers keep the run going until the connection was cut twice (see "resumes after").
    const release = t.model.hold();
    const run = await t.startCalculatorRun();
    const cut = createClient({ baseUrl: proxy.url, token: TOKEN });
    let reconnects = 0;
    let drops = 0;
    const watchCut = (async () => {
      let last: RunState | undefined;
      let lastFromEvents: RunState | undefined;
      const updates = watchRunState(cut, run.id, {
        reconnectDelayMs: 20,
        onConnection: (c) => {
          if (c.status === "reconnecting") reconnects++;
          // Cut each of the first two connections as soon as it is live (it may bring no event).
          if (c.status === "live" && drops < 2 && proxy.dropAll() > 0 && ++drops === 2) release();
        },
      });
      for await (const { state, event } of updates) {
        last = state;
        if (event) lastFromEvents = state;
      }
      return { last, lastFromEvents };
    })();
    const watchDirect = (async () => {
      let last: RunState | undefined;
      let lastFromEvents: RunState | undefined;
      for await (const { state, event } of watchRunState(t.client, run.id)) {
        last = state;
        if (event) lastFromEvents = state;
      }
      return { last, lastFromEvents };
    })();
    const [cutResult, directResult] = await Promise.all([watchCut, watchDirect]);
    expect(drops).toBe(2);
    expect(reconnects).toBeGreaterThanOrEqual(2);
    // Reduced from the events alone, and after the final snapshot: the same either way.
    expect(cutResult.lastFromEvents).toEqual(directResult.lastFromEvents);
    expect(cutResult.lastFromEvents?.status).toBe("completed");
    const interrupted = cutResult.last;
    const direct = directResult.last;
    expect(interrupted).toEqual(direct);
    expect(direct?.status).toBe("completed");
    expect(direct?.tasks.map((task) => [task.status, task.attempts.length])).toEqual([
      ["merged", 1],
      ["merged", 1],
      ["merged", 1],
    ]);
    const loaded = await loadRunState(t.client, run.id);
    expect(loaded).toEqual(direct);
  });

  it("loads a running run's state at once, with the attempts so far", async () => {
    const release = t.model.hold(); // the run is still running when its state is loaded
    const run = await t.startCalculatorRun();
    for await (const event of t.client.events(run.id)) if (event.type === "attempt.started") break;
    const state = await loadRunState(t.client, run.id);
    release();
    expect(state.status).toBe("running");
    expect(state.eventSeq).toBe(state.seq);
    expect(state.tasks.some((task) => task.attempts.length === 1 && task.startedAt !== null)).toBe(true);
    await seqs(t.client.events(run.id));
  });
});
