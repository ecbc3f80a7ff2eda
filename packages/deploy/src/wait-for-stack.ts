import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";

/** A new workers.dev URL can take a while to answer: wait for `/healthz` (up to 2 minutes). */
export async function waitForStack(url: string, signal?: AbortSignal): Promise<void> {
  const client = createClient({ baseUrl: url });
  const deadline = Date.now() + 120_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await client.health({ timeoutMs: 10_000, ...(signal ? { signal } : {}) });
      return;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      last = error;
    }
    await sleep(2_000, undefined, signal ? { signal } : {});
  }
  throw new BernsteinError("stack_unreachable", `the deployed orchestrator at ${url} does not answer /healthz`, {
    cause: last,
    details: {
      fix: "A new workers.dev subdomain can take minutes to work: run `bernstein cloud deploy` again shortly.",
    },
  });
}
