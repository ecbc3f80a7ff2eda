import { createRunnerClient } from "@bernstein/client";
import { closedPort } from "@bernstein/testing";
import { describe, expect, it } from "vitest";
import type { RunnerEvent } from "./events.js";
import { startRunner } from "./start-runner.js";
import { tempDir } from "./test-support/trees.js";

describe("startRunner", () => {
  it("backs off with a visible note while the stack is unreachable, and stops at once on abort", async () => {
    const scratch = await tempDir();
    const client = createRunnerClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: "rt" });
    const controller = new AbortController();
    const events: RunnerEvent[] = [];
    const runner = startRunner({
      client,
      cacheDir: scratch.dir,
      signal: controller.signal,
      backoff: { initialMs: 50, maxMs: 200 },
      onEvent: (event) => events.push(event),
    });
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(4);
    controller.abort();
    await runner.stopped;
    const retries = events.map((e) => (e.type === "retrying" ? [e.what, e.error.code, e.retryInMs] : e.type));
    expect(retries.slice(0, 4)).toEqual([
      ["claim", "stack_unreachable", 50],
      ["claim", "stack_unreachable", 100],
      ["claim", "stack_unreachable", 200],
      ["claim", "stack_unreachable", 200],
    ]);
    await scratch.remove();
  });

  it("stops at once when aborted during a long wait", async () => {
    const scratch = await tempDir();
    const client = createRunnerClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: "rt" });
    const controller = new AbortController();
    const events: RunnerEvent[] = [];
    const runner = startRunner({
      client,
      cacheDir: scratch.dir,
      signal: controller.signal,
      // Ten minutes: only an abortable wait lets the runner stop within the test's timeout.
      backoff: { initialMs: 600_000, maxMs: 600_000 },
      onEvent: (event) => events.push(event),
    });
    await expect.poll(() => events.length).toBe(1);
    controller.abort();
    await runner.stopped;
    expect(events).toMatchObject([{ type: "retrying", retryInMs: 600_000 }]);
    await scratch.remove();
  });
});
