import type { TaskState } from "@bernstein/core";
import { Box, Text } from "ink";
import { fit } from "../format.js";
import type { TaskLog } from "../hooks/use-task-log.js";
import { Tinted } from "./Tinted.js";

export interface LogPaneProps {
  task: TaskState;
  log: TaskLog;
  /** Lines available, the title included. */
  height: number;
  width: number;
}

/** The followed verify log of a task: its last lines, refreshed as it grows. */
export function LogPane({ task, log, height, width }: LogPaneProps) {
  const lines =
    log.text === null
      ? []
      : log.text
          .trimEnd()
          .split("\n")
          .slice(-Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      <Tinted bold>{`Log of ${task.planId} ${task.title} (l or Esc to close)`}</Tinted>
      {log.error ? <Tinted tint="red">{fit(`could not read the log: ${log.error}`, width).trimEnd()}</Tinted> : null}
      {!log.error && log.text === null ? (
        <Text>{log.loading ? "Loading…" : "No verify log yet: it appears once the task is verified."}</Text>
      ) : null}
      {lines.map((line, i) => (
        <Text key={i}>{fit(line, width).trimEnd() || " "}</Text>
      ))}
    </Box>
  );
}
