import type { BernsteinClient } from "@bernstein/client";
import type { RunView } from "@bernstein/core";
import type { Output } from "../output/output.js";
import { progressLine, titlesOf } from "./progress.js";

/**
 * Prints a progress line for each event of the run (replayed from the start, then live) until
 * the run ends or pauses, or `signal` aborts, and returns the run as it is then.
 */
export async function followRun(
  client: BernsteinClient,
  runId: string,
  out: Output,
  signal: AbortSignal,
): Promise<RunView> {
  const color = out.json ? out.errColor : out.color;
  let titles = titlesOf(await client.listTasks(runId));
  for await (const event of client.events(runId, { signal })) {
    if (event.taskId && !titles.has(event.taskId)) titles = titlesOf(await client.listTasks(runId));
    const line = progressLine(event, titles, color);
    if (line) out.print(line);
    // A paused run waits for the user (more budget, or cancel): stop following it here.
    if (event.type === "run.status" && event.data.to === "paused") break;
  }
  return client.getRun(runId);
}
