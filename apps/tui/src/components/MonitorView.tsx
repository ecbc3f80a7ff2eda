import { type RunState, runFigures } from "@bernstein/core";
import { Box } from "ink";
import type { ConnectionStatus } from "../hooks/use-run-state.js";
import type { Notice } from "../hooks/use-task-action.js";
import type { TaskExtras } from "../hooks/use-task-detail.js";
import type { TaskLog } from "../hooks/use-task-log.js";
import { ActivityFeed } from "./ActivityFeed.js";
import { Header } from "./Header.js";
import { LogPane } from "./LogPane.js";
import { RunnerNotice } from "./RunnerNotice.js";
import { StatusBar } from "./StatusBar.js";
import { TaskDetail } from "./TaskDetail.js";
import { TaskTable } from "./TaskTable.js";

/** What the lower part of the screen shows. */
export type Pane = "activity" | "detail" | "log";

export interface MonitorViewProps {
  /** The reduced run state: every figure on screen is derived from it. */
  state: RunState;
  /** Current time (ms since the epoch) for elapsed times. */
  now: number;
  connection: ConnectionStatus;
  /** Index of the selected task (plan order). */
  selected: number;
  pane: Pane;
  /** Patch stats and log tail of the selected task (detail pane). */
  extras: TaskExtras;
  /** The followed log of the selected task (log pane). */
  log: TaskLog;
  /** A question waiting for y/n. */
  question: string | null;
  notice: Notice | null;
  /** "no runner connected: ..." while work waits for a runner (`useRunnerNotice`). */
  runnerNotice?: string | null;
  columns: number;
  rows: number;
}

// Header (up to 4 lines), gaps, the table's header and scroll line, the status bar, and 3 lines
// kept free: what the CLI prints after the monitor leaves then scrolls the lines before it away,
// not the monitor's header.
const CHROME = 13;

/** The monitor's screen for one state: header, task table, one pane, status bar. Pure. */
export function MonitorView(props: MonitorViewProps) {
  const { state, now, selected, pane, columns, rows } = props;
  const width = Math.max(40, columns - 1);
  const figures = runFigures(state, now);
  // Keep the frame shorter than the terminal: a taller one makes Ink redraw the whole screen.
  const room = Math.max(6, rows - 1 - CHROME - (props.runnerNotice ? 1 : 0));
  const tableRows = Math.min(Math.max(1, state.tasks.length), Math.max(3, Math.floor(room / 2)));
  const paneHeight = Math.max(3, room - tableRows);
  const task = state.tasks[selected];
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} figures={figures} connection={props.connection} width={width} />
      {props.runnerNotice ? <RunnerNotice text={props.runnerNotice} width={width} /> : null}
      <Box marginTop={1}>
        <TaskTable tasks={state.tasks} run={state} selected={selected} now={now} width={width} maxRows={tableRows} />
      </Box>
      <Box marginTop={1} height={paneHeight} flexDirection="column" overflow="hidden">
        {pane === "detail" && task ? (
          <TaskDetail task={task} tasks={state.tasks} extras={props.extras} height={paneHeight} width={width} />
        ) : pane === "log" && task ? (
          <LogPane task={task} log={props.log} height={paneHeight} width={width} />
        ) : (
          <ActivityFeed entries={state.activity} height={paneHeight} width={width} />
        )}
      </Box>
      <StatusBar question={props.question} notice={props.notice} width={width} />
    </Box>
  );
}
