import type { RunEvent } from "@bernstein/core";
import { describe, expect, it } from "vitest";
import { MonitorView } from "../src/index.js";
import { readRecording, stateAt } from "./support/recording.js";
import { renderTui } from "./support/render-tui.js";

describe("a lost runner in the monitor", () => {
  it("is one activity line naming the runner that lost the lease and the one that took the job", async () => {
    const recording = readRecording();
    // Mid-way through the recorded run, the first task's verification changes runners.
    const before = recording.events.slice(0, 17);
    const last = before.at(-1) as RunEvent;
    const task = recording.views.at(-1)?.tasks[0];
    const lost: RunEvent = {
      runId: last.runId,
      seq: last.seq + 1,
      at: last.at,
      type: "job.lost",
      taskId: task?.id ?? null,
      data: { jobId: "j_lost_1", kind: "candidate", attempt: 1, runner: "ci-gone", takenBy: "ci-2" },
    };
    const state = await stateAt({ ...recording, events: [...before, lost] }, lost.seq);
    const frame = renderTui(
      <MonitorView
        state={state}
        now={Date.parse(lost.at)}
        connection="live"
        selected={0}
        pane="activity"
        extras={{ patch: null, logTail: null, error: null }}
        log={{ text: null, error: null, loading: false }}
        question={null}
        notice={null}
        columns={100}
        rows={40}
      />,
    ).frame();
    const lines = frame.split("\n").filter((line) => line.includes("lost its lease"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${task?.title}: runner ci-gone lost its lease on the verification; ci-2 took it over`);
  });
});
