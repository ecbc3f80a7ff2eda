import { describe, expect, it } from "vitest";
import { describeRunEvent } from "../run-activity.js";
import { JobLostData } from "./job-lost.js";
import type { RunEvent } from "./run-event.js";

const lost = (taskId: string | null, data: JobLostData): RunEvent => ({
  runId: "r_0123456789ab",
  seq: 7,
  at: "2026-12-02T00:00:00.000Z",
  type: "job.lost",
  taskId,
  data: JobLostData.parse(data),
});

describe("a job.lost event in the activity", () => {
  it("names the runner that lost the lease and the one that took the job over", () => {
    const event = lost("t_1", { jobId: "j_x_1", kind: "candidate", attempt: 1, runner: "ci-1", takenBy: "ci-2" });
    expect(describeRunEvent(event, () => "Fix add")).toEqual({
      text: "Fix add: runner ci-1 lost its lease on the verification; ci-2 took it over",
      tone: "warn",
    });
  });

  it("says what kind of job it was, with no task for a baseline", () => {
    const command = lost("t_1", { jobId: "j_x_2", kind: "exec", attempt: 2, runner: "a", takenBy: "b" });
    expect(describeRunEvent(command, () => undefined).text).toBe(
      "t_1: runner a lost its lease on the command; b took it over",
    );
    const baseline = lost(null, { jobId: "j_x_3", kind: "baseline", attempt: null, runner: "a", takenBy: "b" });
    expect(describeRunEvent(baseline, () => undefined).text).toBe(
      "runner a lost its lease on the baseline check; b took it over",
    );
  });
});
