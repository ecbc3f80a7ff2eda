import { describe, expect, it } from "vitest";
import { SerialQueue } from "../src/coordinator/serial-queue.js";

// The coordinator's changes run through one SerialQueue: one at a time, in arrival order, except
// that an operation queued `ahead` (a workflow's `attemptStarted`) runs before the normal ones
// waiting, never beside the one running.

/** An operation that records when it starts and ends, and ends when the test says so. */
function gated(name: string, log: string[]) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const operation = async () => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}`);
    return name;
  };
  return { operation, open: () => open() };
}

/** Lets every queued microtask and promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SerialQueue", () => {
  it("runs one operation at a time, in arrival order", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const a = gated("a", log);
    const b = gated("b", log);
    const c = gated("c", log);
    const results = [queue.run(a.operation), queue.run(b.operation), queue.run(c.operation)];
    await settle();
    expect(log).toEqual(["start a"]);
    c.open();
    b.open();
    await settle();
    expect(log).toEqual(["start a"]); // b and c may not start before a ends
    a.open();
    expect(await Promise.all(results)).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("runs an operation queued ahead after the running one, before the normal ones waiting", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const running = gated("running", log);
    const waiting = [gated("w1", log), gated("w2", log)];
    const ahead = [gated("ahead1", log), gated("ahead2", log)];
    const all = [
      queue.run(running.operation),
      ...waiting.map((g) => queue.run(g.operation)),
      ...ahead.map((g) => queue.run(g.operation, { ahead: true })),
    ];
    await settle();
    expect(log).toEqual(["start running"]);
    for (const g of [...waiting, ...ahead]) g.open();
    running.open();
    await Promise.all(all);
    expect(log.filter((line) => line.startsWith("start"))).toEqual([
      "start running",
      "start ahead1",
      "start ahead2",
      "start w1",
      "start w2",
    ]);
  });

  it("returns a failure to its caller and goes on with the next operation", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error("boom");
    });
    const next = queue.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });
});
