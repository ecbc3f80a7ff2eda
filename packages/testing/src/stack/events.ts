import type { RunEvent } from "@bernstein/core";
import type { TestStack } from "./test-stack.js";

/** Reads the run's SSE stream from `after` until the server closes it (the run ended). */
export async function readEvents(
  t: Pick<TestStack, "api">,
  runId: string,
  after = 0,
  timeoutMs = 60_000,
): Promise<RunEvent[]> {
  const res = await t.api(`/v1/runs/${runId}/events?after=${after}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  expectSse(res);
  const text = await res.text();
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice("data: ".length)) as RunEvent);
}

function expectSse(res: Response): void {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("text/event-stream")) throw new Error(`events: content-type ${type}`);
}
