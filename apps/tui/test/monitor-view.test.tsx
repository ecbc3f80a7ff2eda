import { type RunState, runFigures, taskElapsedMs } from "@bernstein/core";
import { beforeAll, describe, expect, it } from "vitest";
import { duration, fit, TASK_LOOK, usd } from "../src/format.js";
import { ColorContext, MonitorView, type MonitorViewProps } from "../src/index.js";
import { type Recording, readRecording, stateAt } from "./support/recording.js";
import { renderTui } from "./support/render-tui.js";

let recording: Recording;
beforeAll(() => {
  recording = readRecording();
});

function view(state: RunState, now: number, extra: Partial<MonitorViewProps> = {}) {
  return renderTui(
    <MonitorView
      state={state}
      now={now}
      connection="live"
      selected={0}
      pane="activity"
      extras={{ patch: null, logTail: null, error: null }}
      log={{ text: null, error: null, loading: false }}
      question={null}
      notice={null}
      columns={100}
      rows={40}
      {...extra}
    />,
  );
}

/** The table row of a task: every column as the reduced state has it. */
function rowPattern(state: RunState, index: number, now: number): RegExp {
  const task = state.tasks[index];
  if (!task) throw new Error(`no task ${index}`);
  const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const title = esc(fit(task.title, 21).trimEnd());
  const look = TASK_LOOK[task.status];
  const elapsed = esc(duration(taskElapsedMs(task, now)));
  return new RegExp(
    `${task.planId}\\s+${title}\\s+${task.role}\\s+${esc(look.icon)} ${task.status}\\s+${task.attempt}\\s+claude-sonnet-4-5\\s+${elapsed}\\s+${esc(usd(task.costUsd))}`,
  );
}

describe("MonitorView over a recorded run", () => {
  it("shows the finished run's figures and every task as reduced", async () => {
    const state = await stateAt(recording);
    const now = Date.parse(state.finishedAt ?? state.updatedAt);
    const figures = runFigures(state, now);
    const frame = view(state, now).frame();
    expect(figures).toMatchObject({ total: 3, merged: 3, running: 0, maxAgents: 2 });
    expect(frame).toContain(`${state.id} ✔ completed   elapsed ${duration(figures.elapsedMs)}   ● live`);
    expect(frame).toContain(`${figures.merged}/${figures.total} merged`);
    expect(frame).toContain(`${usd(figures.spentUsd)} no budget`);
    expect(frame).toContain(`agents ${figures.running}/${figures.maxAgents}`);
    for (const index of state.tasks.keys()) expect(frame).toMatch(rowPattern(state, index, now));
    expect(frame).toContain("Add multiply: merged (integration #1)");
    expect(frame).toContain("run completed");
  });

  it("shows the run mid-way: two agents busy, nothing merged, elapsed times running", async () => {
    const state = await stateAt(recording, 17);
    const now = Date.parse(recording.events[16]?.at ?? "") + 5_000;
    const frame = view(state, now).frame();
    expect(state.tasks.map((t) => t.status)).toEqual(["verifying", "in_progress", "open"]);
    expect(frame).toContain("0/3 merged");
    expect(frame).toContain("agents 2/2");
    expect(frame).toContain(`spend ${usd(state.spentUsd)} no budget`);
    for (const index of [0, 1]) expect(frame).toMatch(rowPattern(state, index, now));
    expect(frame).toMatch(/t3\s+Document multiply an…\s+docs\s+○ open\s+0\s+-\s+-\s+\$0\.00/);
  });

  it("shows a line under the header while work waits with no runner connected", async () => {
    const state = await stateAt(recording);
    const now = Date.parse(state.updatedAt);
    expect(view(state, now).frame()).not.toContain("no runner connected");
    const text = "no runner connected: 1 command waiting; start one with `bernstein runner`";
    const lines = view(state, now, { runnerNotice: text }).frame().split("\n");
    const at = lines.findIndex((line) => line.includes(`⚠ ${text}`));
    expect(at).toBeGreaterThan(0);
    expect(lines.findIndex((line) => /t1\s/.test(line))).toBeGreaterThan(at);
  });

  it("fills the spend bar to spent / budget when the run has a budget", async () => {
    const done = await stateAt(recording);
    const state = { ...done, budgetUsd: Math.round(done.spentUsd * 2 * 1e4) / 1e4 };
    const frame = view(state, Date.parse(state.updatedAt)).frame();
    expect(runFigures(state, 0).budgetShare).toBeCloseTo(0.5, 2);
    expect(frame).toContain(`spend ██████░░░░░░ ${usd(state.spentUsd)} of ${usd(state.budgetUsd)}`);
  });

  it("shows a model outage under way in the header, and no more once the model answers", async () => {
    const state = await stateAt(recording);
    const now = Date.parse(state.updatedAt);
    const entry = (seq: number, type: string, text: string) =>
      ({ seq, at: state.updatedAt, type, taskId: null, text, tone: "warn" }) as const;
    const retrying = entry(9001, "model.retrying", "model unavailable: anthropic 529, retrying in 8s");
    const down = { ...state, status: "running" as const, error: null, activity: [...state.activity, retrying] };
    expect(view(down, now).frame()).toMatch(/agents \d+\/\d+\n\s*model unavailable: anthropic 529, retrying in 8s/);
    const back = { ...down, activity: [...down.activity, entry(9002, "model.available", "anthropic answers again")] };
    expect(view(back, now).frame()).not.toMatch(/agents \d+\/\d+\n\s*model unavailable/);
  });

  it("has colours only when they are on (NO_COLOR turns them off)", async () => {
    const state = await stateAt(recording);
    const now = Date.parse(state.updatedAt);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour codes is the point
    const ansi = /\u001b\[3\d/;
    expect(view(state, now).rawFrame()).toMatch(ansi);
    const plain = renderTui(
      <ColorContext.Provider value={false}>
        <MonitorView
          state={state}
          now={now}
          connection="live"
          selected={0}
          pane="activity"
          extras={{ patch: null, logTail: null, error: null }}
          log={{ text: null, error: null, loading: false }}
          question={null}
          notice={null}
          columns={100}
          rows={40}
        />
      </ColorContext.Provider>,
    );
    expect(plain.rawFrame()).not.toMatch(ansi);
    expect(plain.frame()).toBe(view(state, now).frame());
  });
});
