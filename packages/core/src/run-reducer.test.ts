import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCommandPolicy } from "./command-policy.js";
import { runFigures, taskElapsedMs } from "./run-figures.js";
import { ACTIVITY_LIMIT, applyRunEvent, applyRunEvents, initRunState, rebaseRunState } from "./run-reducer.js";
import type { RunView } from "./schemas/api.js";
import type { RunEvent } from "./schemas/run-event.js";
import { RunState, type TaskState } from "./schemas/run-state.js";
import type { Task } from "./schemas/task.js";

const RUN = "r_aaaaaaaaaaaa";
const T1 = "t_aaaaaaaaaaa1";
const T2 = "t_aaaaaaaaaaa2";
const SHA = "a".repeat(64);
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function task(id: string, order: number, title: string): Task {
  return {
    id,
    runId: RUN,
    planId: `t${order + 1}`,
    title,
    description: `${title} well`,
    role: "backend",
    priority: 1,
    order,
    status: "open",
    version: 0,
    dependsOn: [],
    ownedFiles: [],
    completionSignals: [],
    approvalRequired: false,
    maxCostUsd: null,
    attempt: 0,
    costUsd: 0,
    summary: null,
    error: null,
    mergedSeq: null,
    createdAt: at(0),
    updatedAt: at(0),
  };
}

const VERDICT = {
  base: { passed: 1, failed: 2 },
  result: { passed: 3, failed: 0 },
  fixed: ["add", "mul"],
  still_failing: [],
};

/** A run right after its plan was stored, before any event about its tasks. */
function planned(): RunView {
  return {
    id: RUN,
    goal: "Add two functions",
    status: "planning",
    model: "anthropic/claude-sonnet-4-5",
    plannerModel: "anthropic/claude-sonnet-4-5",
    maxAgents: 2,
    maxRetries: 1,
    budgetUsd: 1,
    spentUsd: 0,
    baseSnapshot: SHA,
    baseCommit: null,
    verifyCommands: [],
    verifySetup: [],
    verifySetupInputs: null,
    verifyReports: [],
    repository: null,
    verification: null,
    approveAll: false,
    commands: defaultCommandPolicy(),
    integrationSeq: 0,
    integrationManifest: SHA,
    error: null,
    createdAt: at(0),
    updatedAt: at(0),
    finishedAt: null,
    tasks: [task(T2, 1, "Add divide"), task(T1, 0, "Add multiply")],
    seq: 0,
  };
}

/** The event log of that run: both tasks merge, the first after a failed attempt. */
function log(): RunEvent[] {
  const raw: [string, string | null, Record<string, unknown>][] = [
    ["run.status", null, { from: "planning", to: "running" }],
    ["task.status", T1, { from: "open", to: "claimed", attempt: 1, instance: `${RUN}-${T1}-a1` }],
    ["task.status", T2, { from: "open", to: "claimed", attempt: 1, instance: `${RUN}-${T2}-a1` }],
    ["task.status", T1, { from: "claimed", to: "in_progress", attempt: 1 }],
    ["attempt.started", T1, { instance: `${RUN}-${T1}-a1`, attempt: 1, model: "anthropic/claude-sonnet-4-5" }],
    ["cost", T1, { instance: `${RUN}-${T1}-a1`, step: "turn-1", usd: 0.01, runSpentUsd: 0.01 }],
    [
      "attempt.finished",
      T1,
      { instance: `${RUN}-${T1}-a1`, outcome: "failed", error: { code: "max_turns", message: "too long" } },
    ],
    ["task.status", T1, { from: "in_progress", to: "open", attempt: 1, reason: "max_turns" }],
    ["task.status", T1, { from: "open", to: "claimed", attempt: 2, instance: `${RUN}-${T1}-a2` }],
    ["cost", T2, { instance: `${RUN}-${T2}-a1`, step: "turn-1", usd: 0.02, runSpentUsd: 0.03 }],
    ["attempt.finished", T2, { instance: `${RUN}-${T2}-a1`, outcome: "submitted", files: 2 }],
    ["log", T2, { kind: "verify", instance: `${RUN}-${T2}-a1`, passed: true, exitCode: 0, timedOut: false }],
    ["attempt.finished", T2, { instance: `${RUN}-${T2}-a1`, outcome: "succeeded" }],
    ["merge.applied", T2, { seq: 1, manifest: "b".repeat(64) }],
    ["task.status", T2, { from: "done", to: "merged", attempt: 1 }],
    ["cost", T1, { instance: `${RUN}-${T1}-a2`, step: "turn-1", usd: 0.005, runSpentUsd: 0.035 }],
    ["budget.warning", null, { spentUsd: 0.035, budgetUsd: 2, added: 1 }],
    ["merge.applied", T1, { seq: 2, manifest: "c".repeat(64) }],
    ["task.status", T1, { from: "done", to: "merged", attempt: 2 }],
    ["run.status", null, { from: "running", to: "completed", verification: VERDICT }],
  ];
  return raw.map(([type, taskId, data], i) => ({
    runId: RUN,
    seq: i + 1,
    at: at(i + 1),
    type: type as RunEvent["type"],
    taskId,
    data,
  }));
}

/** The snapshot a server would serve after the first `k` events (the traces are not in it). */
function snapshotAt(k: number): RunView {
  const {
    activity: _a,
    eventSeq: _e,
    stale: _s,
    timeline: _t,
    tasks,
    ...run
  } = applyRunEvents(initRunState(planned()), log().slice(0, k));
  return {
    ...run,
    tasks: tasks.map(({ attempts: _x, model: _m, startedAt: _st, finishedAt: _f, lastVerify: _l, ...t }) => t),
  };
}

describe("initRunState", () => {
  it("is a RunView superset with tasks in plan order and nothing read yet", () => {
    const state = initRunState(planned());
    expect(RunState.parse(state)).toEqual(state);
    expect(state.tasks.map((t) => t.id)).toEqual([T1, T2]);
    expect(state).toMatchObject({ id: RUN, status: "planning", seq: 0, eventSeq: 0, activity: [], stale: false });
  });
});

describe("applyRunEvent", () => {
  const final = () => applyRunEvents(initRunState(planned()), log());

  it("follows a run to its end: statuses, attempts, cost, integration", () => {
    const state = final();
    expect(state).toMatchObject({ status: "completed", seq: 20, eventSeq: 20, spentUsd: 0.035, budgetUsd: 2 });
    expect(state).toMatchObject({ integrationSeq: 2, integrationManifest: "c".repeat(64), finishedAt: at(20) });
    expect(state.verification).toEqual(VERDICT);
    const [t1, t2] = state.tasks;
    expect(t1).toMatchObject({ status: "merged", attempt: 2, costUsd: 0.015, mergedSeq: 2, startedAt: at(2) });
    expect(t1?.attempts.map((a) => [a.n, a.outcome, a.error?.code ?? null])).toEqual([
      [1, "failed", "max_turns"],
      [2, "running", null],
    ]);
    expect(t2?.attempts[0]).toMatchObject({ outcome: "succeeded", files: 2, finishedAt: at(13) });
    expect(t2?.lastVerify).toMatchObject({ passed: true, exitCode: 0 });
    expect(taskElapsedMs(t2 as TaskState, 0)).toBe(12_000); // claimed at 3 s, merged at 15 s
    expect(runFigures(state, 0)).toMatchObject({ total: 2, merged: 2, running: 0, progress: 1, elapsedMs: 20_000 });
  });

  it("counts figures mid-run", () => {
    const state = applyRunEvents(initRunState(planned()), log().slice(0, 10));
    const figures = runFigures(state, Date.parse(at(30)));
    expect(figures).toMatchObject({ total: 2, merged: 0, running: 2, maxAgents: 2, spentUsd: 0.03 });
    expect(figures.budgetShare).toBeCloseTo(0.03);
    expect(figures.elapsedMs).toBe(30_000);
  });

  it("draws spend and merged tasks over time from the events, one point per cost and merge", () => {
    expect(final().timeline).toEqual([
      { seq: 6, at: at(6), spentUsd: 0.01, merged: 0 },
      { seq: 10, at: at(10), spentUsd: 0.03, merged: 0 },
      { seq: 14, at: at(14), spentUsd: 0.03, merged: 1 },
      { seq: 16, at: at(16), spentUsd: 0.035, merged: 1 },
      { seq: 18, at: at(18), spentUsd: 0.035, merged: 2 },
    ]);
    const rebased = rebaseRunState(final(), snapshotAt(20));
    expect(rebased.timeline).toEqual(final().timeline);
  });

  it("ignores an event it has read (a replay after a reconnect changes nothing)", () => {
    const once = final();
    expect(applyRunEvents(once, log())).toBe(once);
  });

  it("ends in the same state from any snapshot, replaying the log from the start", () => {
    const uninterrupted = final();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), (k) => {
        const resumed = applyRunEvents(initRunState(snapshotAt(k)), log());
        expect(resumed).toEqual(uninterrupted);
      }),
    );
  });

  it("reads snapshot fields only after seq, so costs are not counted twice", () => {
    const from10 = applyRunEvents(initRunState(snapshotAt(10)), log().slice(0, 10));
    expect(from10.spentUsd).toBe(0.03);
    expect(from10.tasks[0]?.costUsd).toBe(0.01);
    expect(from10.tasks[0]?.attempts).toHaveLength(2);
  });

  it("marks an unknown task or a gap stale without consuming the event", () => {
    const state = initRunState({ ...planned(), tasks: [task(T1, 0, "Add multiply")] });
    const events = log();
    const before = applyRunEvents(state, events.slice(0, 2));
    const stale = applyRunEvent(before, events[2] as RunEvent);
    expect(stale).toMatchObject({ stale: true, seq: 2, eventSeq: 2 });
    const rebased = rebaseRunState(stale, snapshotAt(3));
    expect(rebased).toMatchObject({ stale: false, seq: 3, eventSeq: 2 });
    const resumed = applyRunEvents(rebased, events.slice(2));
    expect(resumed).toEqual(final());
    expect(applyRunEvent(before, events[5] as RunEvent).stale).toBe(true);
  });

  it("asks for the snapshot when the plan has tasks the state lacks", () => {
    const empty = initRunState({ ...planned(), tasks: [] });
    const accepted = applyRunEvent(empty, {
      ...log()[0],
      seq: 1,
      type: "plan.accepted",
      data: { tasks: 2 },
    } as RunEvent);
    expect(accepted).toMatchObject({ stale: true, seq: 1 });
  });

  it("keeps the last ACTIVITY_LIMIT events in words, with titles", () => {
    const state = final();
    expect(state.activity.map((a) => a.text)).toContain("Add multiply: open -> claimed");
    expect(state.activity.find((a) => a.seq === 7)).toMatchObject({
      text: "Add multiply: attempt 1 failed: max_turns: too long",
      tone: "bad",
    });
    let long = initRunState(planned());
    for (let seq = 1; seq <= ACTIVITY_LIMIT + 10; seq++) {
      long = applyRunEvent(long, { runId: RUN, seq, at: at(seq), type: "attempt.turn", taskId: T1, data: {} });
    }
    expect(long.activity).toHaveLength(ACTIVITY_LIMIT);
    expect(long.activity[0]?.seq).toBe(11);
  });
});

describe("an agent's commands", () => {
  it("marks the task waiting for its command until the result, and words both in the activity", () => {
    const instance = `${RUN}-${T1}-a1`;
    const events: RunEvent[] = [
      ["task.status", { from: "open", to: "claimed", attempt: 1, instance }],
      ["log", { kind: "command.queued", job: "j_cmd_1", command: "npm test", instance }],
      ["log", { kind: "command", job: "j_cmd_1", command: "npm test", exitCode: 1, durationMs: 812, instance }],
      ["log", { kind: "command.queued", job: "j_cmd_2", command: "sleep 9", instance }],
    ].map(([type, data], i) => ({
      runId: RUN,
      seq: i + 1,
      at: at(i + 1),
      type: type as RunEvent["type"],
      taskId: T1,
      data: data as Record<string, unknown>,
    }));
    const waiting = applyRunEvents(initRunState(planned()), events.slice(0, 2));
    expect(waiting.tasks.find((t) => t.id === T1)?.command).toEqual({
      job: "j_cmd_1",
      command: "npm test",
      since: at(2),
    });
    const ran = applyRunEvents(waiting, events.slice(2, 3));
    expect(ran.tasks.find((t) => t.id === T1)?.command).toBeNull();
    expect(ran.activity.map((a) => a.text)).toEqual([
      "Add multiply: open -> claimed",
      "Add multiply: $ npm test",
      "Add multiply: $ npm test -> exit 1 in 0.8 s",
    ]);
    const again = applyRunEvents(ran, events.slice(3));
    expect(again.tasks.find((t) => t.id === T1)?.command?.job).toBe("j_cmd_2");
    const ended = applyRunEvent(again, {
      runId: RUN,
      seq: 5,
      at: at(5),
      type: "attempt.finished",
      taskId: T1,
      data: { instance, outcome: "cancelled" },
    });
    expect(ended.tasks.find((t) => t.id === T1)?.command).toBeNull();
  });
});
