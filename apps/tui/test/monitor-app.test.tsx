import { BernsteinError, type RunView } from "@bernstein/core";
import { beforeAll, describe, expect, it } from "vitest";
import { MonitorApp, type MonitorOutcome, patchStats } from "../src/index.js";
import { type Recording, readRecording, recordedApi } from "./support/recording.js";
import { KEY, renderTui } from "./support/render-tui.js";

let recording: Recording;
let runId: string;
beforeAll(() => {
  recording = readRecording();
  runId = (recording.views[0] as RunView).id;
});

function app(api = recordedApi(recording), withRun = true) {
  const exits: (MonitorOutcome | Error)[] = [];
  const tui = renderTui(
    <MonitorApp api={api} runId={withRun ? runId : undefined} onExit={(result) => exits.push(result)} />,
  );
  return { tui, exits };
}

const selectedRow = (frame: string) => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

describe("MonitorApp over a recorded run", () => {
  it("moves the selection with arrows and j/k, and opens the detail of the selected task", async () => {
    const { tui } = app();
    await tui.waitFor((f) => f.includes("✔ completed"), "the end of the run");
    await tui.waitFor((f) => selectedRow(f).includes("Add multiply"), "Add multiply");
    await tui.press("j", KEY.down);
    await tui.waitFor((f) => selectedRow(f).includes("Document multiply"), "Document multiply");
    await tui.press("k");
    await tui.waitFor((f) => selectedRow(f).includes("Add divide"), "Add divide");
    await tui.press(KEY.down, KEY.down, KEY.enter);
    const docs = Object.values(recording.tasks).find((t) => t.planId === "t3");
    const patch = patchStats(recording.artifacts[docs?.attempts[0]?.patchKey ?? ""] ?? "");
    const detail = await tui.waitFor((f) => f.includes("patch:"), "the patch stats");
    expect(detail).toContain(`t3 Document multiply and divide in the README ✔ merged docs · ${docs?.id}`);
    expect(detail).toContain(docs?.description);
    expect(detail).toContain("depends on: t1 Add multiply, t2 Add divide");
    expect(detail).toContain("owned files: README.md");
    expect(detail).toContain("attempts (1)");
    expect(detail).toMatch(/#1 claude-sonnet-4-5 succeeded 1 file \d+:\d\d/);
    expect(detail).toContain(`patch: ${patch.files} file, +${patch.additions} -${patch.deletions}`);
    expect(patch.files).toBe(1);
    await tui.press(KEY.escape);
    await tui.waitFor((f) => f.includes("Activity"), "Activity");
    // Keys typed fast can arrive in one chunk: each counts.
    await tui.press("kk\r");
    await tui.waitFor((f) => selectedRow(f).includes("Add multiply"), "Add multiply");
    await tui.waitFor((f) => f.includes("depends on: none"), "the detail of t1");
    tui.unmount();
  });

  it("follows a task's log with l and says when there is none yet", async () => {
    const { tui } = app();
    await tui.waitFor((f) => f.includes("✔ completed"), "the end of the run");
    await tui.press("l");
    const frame = await tui.waitFor((f) => f.includes("No verify log yet"), "the log pane");
    expect(frame).toContain("Log of t1 Add multiply (l or Esc to close)");
    await tui.press("l");
    await tui.waitFor((f) => f.includes("Activity"), "Activity");
    tui.unmount();
  });

  it("asks before cancelling, and does nothing on n", async () => {
    const { tui } = app();
    await tui.waitFor((f) => f.includes("✔ completed"), "the end of the run");
    await tui.press("x");
    await tui.waitFor(
      (f) => f.includes('Cancel task t1 "Add multiply"? [y/n]'),
      'Cancel task t1 "Add multiply"? [y/n]',
    );
    await tui.press("n");
    await tui.waitFor((f) => f.includes("nothing done"), "nothing done");
    await tui.press("r");
    await tui.waitFor(
      (f) => f.includes('Reject task t1 "Add multiply"? [y/n]'),
      'Reject task t1 "Add multiply"? [y/n]',
    );
    await tui.press(KEY.escape);
    await tui.waitFor((f) => !f.includes("[y/n]"), "the prompt gone");
    tui.unmount();
  });

  it("leaves with q (the run goes on) and with Ctrl-C (interrupted), handing over the last state", async () => {
    const quit = app();
    await quit.tui.waitFor((f) => f.includes("✔ completed"), "the end of the run");
    await quit.tui.press("q");
    expect(quit.exits).toHaveLength(1);
    expect(quit.exits[0]).toMatchObject({ reason: "quit", runId, state: { id: runId, status: "completed" } });
    const ctrlC = app(recordedApi(recording, { stopAfter: 12 }));
    await ctrlC.tui.waitFor((f) => f.includes("▶ running"), "the running run");
    await ctrlC.tui.press(KEY.ctrlC);
    expect(ctrlC.exits[0]).toMatchObject({ reason: "interrupted", state: { status: "running", eventSeq: 12 } });
  });

  it("lists the runs to choose from when none is named", async () => {
    const { tui, exits } = app(recordedApi(recording), false);
    const list = await tui.waitFor((f) => f.includes("Choose a run"), "the run list");
    expect(selectedRow(list)).toContain(runId);
    expect(selectedRow(list)).toContain("✔ completed");
    await tui.press(KEY.enter);
    await tui.waitFor((f) => f.includes("3/3 merged"), "the chosen run");
    await tui.press("q");
    expect(exits[0]).toMatchObject({ reason: "quit", runId });
  });

  it("takes keys typed in one go in order: j then Enter opens the second run", async () => {
    const api = recordedApi(recording);
    const [recorded] = await api.listRuns();
    const first = { ...(recorded as NonNullable<typeof recorded>), id: "r_newer", goal: "a newer run" };
    const { tui, exits } = app({ ...api, listRuns: async () => [first, recorded as typeof first] }, false);
    await tui.waitFor((f) => selectedRow(f).includes("r_newer"), "the run list");
    await tui.press("j\r");
    await tui.waitFor((f) => f.includes("3/3 merged"), "the chosen run");
    await tui.press("q");
    expect(exits[0]).toMatchObject({ reason: "quit", runId });
  });

  it("exits with the error when following the run fails for good", async () => {
    const api = recordedApi(recording);
    const failing = {
      ...api,
      // biome-ignore lint/correctness/useYield: a stream that fails before its first event
      async *events() {
        throw new BernsteinError("stack_unreachable", "lost the event stream after 8 reconnects");
      },
    };
    const { exits } = app(failing);
    await expect.poll(() => exits[0]).toMatchObject({ code: "stack_unreachable" });
  });

  it("catches a render error in its boundary and exits with it", async () => {
    const api = recordedApi(recording);
    // A snapshot ahead of every event, with a status this monitor does not know: the header cannot draw it.
    const bogus = { ...(recording.views[0] as RunView), status: "bogus", seq: 1_000 } as unknown as RunView;
    const broken = { ...api, getRun: async () => bogus };
    const { tui, exits } = app(broken);
    await tui.waitFor((f) => f.includes("The monitor stopped"), "the boundary's message");
    expect(exits[0]).toBeInstanceOf(Error);
  });
});
