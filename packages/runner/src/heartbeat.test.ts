import { BernsteinError } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { startHeartbeat } from "./heartbeat.js";

/** A beat that never answers: it ends only when its signal aborts (as fetch does). */
function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

describe("startHeartbeat", () => {
  it("gives up a beat that gets no answer and beats again", async () => {
    let calls = 0;
    const errors: BernsteinError[] = [];
    const heartbeat = startHeartbeat({
      beat: (signal) => (++calls === 1 ? hang(signal) : Promise.resolve()),
      intervalMs: 20,
      timeoutMs: 50,
      onLost: () => {
        throw new Error("the lease was not lost");
      },
      onError: (error) => errors.push(error),
    });
    await expect.poll(() => calls, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await heartbeat.stop();
    expect(errors.map((error) => error.code)).toEqual(["stack_unreachable"]);
  });

  it("stops at a lost lease and beats no more", async () => {
    let calls = 0;
    const lost: BernsteinError[] = [];
    const heartbeat = startHeartbeat({
      beat: async () => {
        calls += 1;
        throw new BernsteinError("conflict", "job j_1 is no longer held by this runner");
      },
      intervalMs: 10,
      onLost: (error) => lost.push(error),
      onError: (error) => {
        throw error;
      },
    });
    await expect.poll(() => lost.length, { timeout: 10_000 }).toBe(1);
    await heartbeat.stop();
    expect(calls).toBe(1);
    expect(lost[0]?.code).toBe("conflict");
  });
});
