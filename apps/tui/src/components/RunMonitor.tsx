import { isTerminalRunStatus, type TaskState } from "@bernstein/core";
import { useEffect, useRef, useState } from "react";
import { useMonitorKeys } from "../hooks/use-monitor-keys.js";
import { useNow } from "../hooks/use-now.js";
import { useRunState } from "../hooks/use-run-state.js";
import { useRunnerNotice } from "../hooks/use-runner-notice.js";
import { type TaskActionKind, useTaskAction } from "../hooks/use-task-action.js";
import { useTaskDetail } from "../hooks/use-task-detail.js";
import { useTaskLog } from "../hooks/use-task-log.js";
import { useTerminalSize } from "../hooks/use-terminal-size.js";
import type { MonitorApi } from "../monitor-api.js";
import type { MonitorOutcome } from "../outcome.js";
import { MonitorView, type Pane } from "./MonitorView.js";
import { Tinted } from "./Tinted.js";

export interface RunMonitorProps {
  api: MonitorApi;
  runId: string;
  /** Leave by itself once the run has ended (`run --wait`); else stay until `q`. */
  exitWhenDone?: boolean;
  /** The clock for elapsed times (tests pin it). */
  clock?: () => number;
  /** First pause before reconnecting the event stream. */
  reconnectDelayMs?: number;
  onExit(outcome: MonitorOutcome): void;
  /** Following the run failed for good. */
  onError(error: unknown): void;
}

interface Question {
  kind: Extract<TaskActionKind, "cancel" | "reject">;
  task: TaskState;
}

/** The live monitor of one run: follows its events, draws it, and acts on its tasks by key. */
export function RunMonitor({ api, runId, exitWhenDone, clock, reconnectDelayMs, onExit, onError }: RunMonitorProps) {
  const watch = useRunState(api, runId, reconnectDelayMs === undefined ? {} : { reconnectDelayMs });
  const { state, connection } = watch;
  // Keys typed fast (or pasted) arrive before the next render: the handlers read the selection
  // and the open question from these refs, which each key updates at once; the state draws them.
  const selectedNow = useRef(0);
  const questionNow = useRef<Question | null>(null);
  const [selected, setSelected] = useState(0);
  const [pane, setPane] = useState<Pane>("activity");
  const [question, setQuestion] = useState<Question | null>(null);
  // An action can bring an ended run back (a retry of a failed task): follow it again.
  const actions = useTaskAction(api, watch.resume);
  const { columns, rows } = useTerminalSize();
  const ended = state !== null && connection === "ended" && isTerminalRunStatus(state.status);
  const now = useNow(!ended, clock);
  const count = state?.tasks.length ?? 0;
  const index = Math.min(selected, Math.max(0, count - 1));
  const task = state?.tasks[index];
  const extras = useTaskDetail(api, task, pane === "detail");
  const log = useTaskLog(api, task, pane === "log");
  const runnerNotice = useRunnerNotice(api, runId, state !== null && !isTerminalRunStatus(state.status));

  useEffect(() => {
    if (watch.error !== undefined) onError(watch.error);
  }, [watch.error, onError]);
  useEffect(() => {
    // `run --wait` also leaves at a budget pause: it asks there whether to add budget.
    const budgetPause = state?.status === "paused" && state.error?.code === "budget_exhausted";
    if (!exitWhenDone || !(ended || budgetPause)) return;
    // One more frame shows the final state before the monitor leaves.
    const timer = setTimeout(() => onExit({ reason: "ended", runId, state }), 100);
    return () => clearTimeout(timer);
  }, [exitWhenDone, ended, onExit, runId, state]);

  const clamp = (at: number) => Math.max(0, Math.min(count - 1, at));
  const taskNow = () => state?.tasks[clamp(selectedNow.current)];
  const ask = (kind: Question["kind"]) => {
    const asked = taskNow();
    if (!asked) return;
    questionNow.current = { kind, task: asked };
    setQuestion(questionNow.current);
  };
  const actOnSelected = (kind: Extract<TaskActionKind, "approve" | "retry">) => {
    const selectedTask = taskNow();
    if (selectedTask) actions.act(kind, selectedTask);
  };
  useMonitorKeys(
    {
      move: (delta) => {
        selectedNow.current = clamp(clamp(selectedNow.current) + delta);
        setSelected(selectedNow.current);
      },
      toggleDetail: () => setPane((p) => (p === "detail" ? "activity" : "detail")),
      toggleLog: () => setPane((p) => (p === "log" ? "activity" : "log")),
      back: () => setPane("activity"),
      approve: () => actOnSelected("approve"),
      reject: () => ask("reject"),
      cancel: () => ask("cancel"),
      retry: () => actOnSelected("retry"),
      quit: () => onExit({ reason: "quit", runId, state }),
      interrupt: () => onExit({ reason: "interrupted", runId, state }),
      answer: (yes) => {
        const asked = questionNow.current;
        questionNow.current = null;
        setQuestion(null);
        if (yes && asked) actions.act(asked.kind, asked.task);
        else actions.say({ text: "nothing done", tone: "info" });
      },
    },
    { asking: () => questionNow.current !== null },
  );

  if (!state) return <Tinted tint="gray">{`Reading run ${runId}…`}</Tinted>;
  const prompt = question
    ? `${question.kind === "cancel" ? "Cancel" : "Reject"} task ${question.task.planId} "${question.task.title}"?`
    : null;
  return (
    <MonitorView
      state={state}
      now={now}
      connection={connection}
      selected={index}
      pane={pane}
      extras={extras}
      log={log}
      question={prompt}
      notice={actions.notice}
      runnerNotice={runnerNotice}
      columns={columns}
      rows={rows}
    />
  );
}
