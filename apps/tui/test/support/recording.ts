import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { watchRunState } from "@bernstein/client";
import { BernsteinError, RunEvent, type RunState, RunView, TaskView } from "@bernstein/core";
import { z } from "zod";
import type { MonitorApi } from "../../src/index.js";

/** A real run as the API served it: snapshots taken along the way, its event log, its tasks and patches. */
export const Recording = z.object({
  recordedAt: z.string(),
  /** `GET /v1/runs/:id` at creation and whenever the seq moved, in seq order. */
  views: z.array(RunView).min(1),
  events: z.array(RunEvent),
  /** `GET /v1/tasks/:id` at the end. */
  tasks: z.record(z.string(), TaskView),
  /** Artifacts the detail pane reads (patches), by key. */
  artifacts: z.record(z.string(), z.string()),
});
export type Recording = z.infer<typeof Recording>;

export const CALCULATOR_RECORDING = fileURLToPath(new URL("../fixtures/calculator-run.json", import.meta.url));

/** Reads a recording written by `scripts/record-run.ts`. */
export function readRecording(path = CALCULATOR_RECORDING): Recording {
  return Recording.parse(JSON.parse(readFileSync(path, "utf8")));
}

/**
 * Serves a recording the way the stack served it: `getRun` answers with the snapshot the stack
 * had when the replay reached that point, `events` replays the log (after `after`), stopping
 * after `stopAfter` events so a test can look at the monitor mid-run.
 */
export function recordedApi(recording: Recording, options: { stopAfter?: number } = {}): MonitorApi {
  let delivered = 0;
  const viewNow = () => recording.views.find((v) => v.seq >= delivered) ?? (recording.views.at(-1) as RunView);
  const missing = (what: string) => new BernsteinError("not_found", `${what} is not in the recording`);
  return {
    async getRun() {
      return delivered === 0 ? (recording.views[0] as RunView) : viewNow();
    },
    async *events(_runId, eventsOptions = {}) {
      const last = options.stopAfter ?? recording.events.length;
      for (const event of recording.events.slice(eventsOptions.after ?? 0, last)) {
        delivered = event.seq;
        yield event;
      }
      // Stopped mid-run: the stream stays open and quiet until the reader goes away.
      const { signal } = eventsOptions;
      if (last < recording.events.length && signal && !signal.aborted) {
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      }
    },
    async listRuns() {
      const { tasks: _t, seq: _s, ...run } = recording.views.at(-1) as RunView;
      return [run];
    },
    async runnerStatus() {
      return { runners: [], connected: 1, waiting: { commands: 0, verifications: 0 } };
    },
    async getTask(id) {
      const task = recording.tasks[id];
      if (!task) throw missing(`task ${id}`);
      return task;
    },
    async getArtifact(key) {
      const text = recording.artifacts[key];
      if (text === undefined) throw missing(`artifact ${key}`);
      return new TextEncoder().encode(text);
    },
    async taskLogs(id) {
      throw missing(`the log of ${id}`);
    },
    cancelTask: () => Promise.reject(new BernsteinError("forbidden", "a recording cannot be changed")),
    approveTask: () => Promise.reject(new BernsteinError("forbidden", "a recording cannot be changed")),
    rejectTask: () => Promise.reject(new BernsteinError("forbidden", "a recording cannot be changed")),
    retryTask: () => Promise.reject(new BernsteinError("forbidden", "a recording cannot be changed")),
  };
}

/**
 * The reduced state of the recorded run after its first `seq` events (all when undefined), read
 * through the same `watchRunState` the monitor uses.
 */
export async function stateAt(recording: Recording, seq?: number): Promise<RunState> {
  const controller = new AbortController();
  const api = recordedApi(recording, seq === undefined ? {} : { stopAfter: seq });
  const runId = (recording.views[0] as RunView).id;
  let last: RunState | undefined;
  for await (const { state } of watchRunState(api, runId, { signal: controller.signal })) {
    last = state;
    if (seq !== undefined && state.eventSeq >= seq) break;
  }
  controller.abort();
  if (!last) throw new Error("the recording gave no state");
  return last;
}
