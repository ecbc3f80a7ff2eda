import { type AttemptTrace, describeSignals, type TaskState } from "@bernstein/core";
import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { clock, duration, fit, shortModel, TASK_LOOK } from "../format.js";
import type { TaskExtras } from "../hooks/use-task-detail.js";
import { Tinted } from "./Tinted.js";

export interface TaskDetailProps {
  task: TaskState;
  /** Every task of the run, to name dependencies by title. */
  tasks: readonly TaskState[];
  /** What the detail fetches on its own: patch stats and the verify log's last lines. */
  extras: TaskExtras;
  /** Lines available, the title included. */
  height: number;
  width: number;
}

/** The selected task: description, dependencies, owned files, patch, attempts, last verification, signals. */
export function TaskDetail({ task, tasks, extras, height, width }: TaskDetailProps) {
  const look = TASK_LOOK[task.status];
  const titles = new Map(tasks.map((t) => [t.id, `${t.planId} ${t.title}`]));
  const deps = task.dependsOn.map((id) => titles.get(id) ?? id).join(", ") || "none";
  const line = (text: string) => fit(text, width).trimEnd();
  const lines: { key: string; node: ReactNode }[] = [];
  const add = (key: string, node: ReactNode) => lines.push({ key, node });
  // Most telling first: a short terminal cuts the pane from the bottom.
  add("desc", <Text>{line(task.description)}</Text>);
  if (task.error) add("error", <Tinted tint="red">{line(`error: ${task.error.code}: ${task.error.message}`)}</Tinted>);
  add("deps", <Text>{line(`depends on: ${deps}`)}</Text>);
  add("files", <Text>{line(`owned files: ${task.ownedFiles.join(", ") || "any"}`)}</Text>);
  if (extras.patch) {
    const p = extras.patch;
    add(
      "patch",
      <Text>{line(`patch: ${p.files} file${p.files === 1 ? "" : "s"}, +${p.additions} -${p.deletions}`)}</Text>,
    );
  }
  add("attempts", <Tinted bold>{`attempts (${task.attempts.length})`}</Tinted>);
  for (const attempt of task.attempts) add(`a${attempt.n}`, <AttemptLine attempt={attempt} width={width} />);
  if (task.lastVerify) {
    const v = task.lastVerify;
    const how = v.passed ? "passed" : v.timedOut ? "timed out" : `failed (exit code ${v.exitCode ?? "none"})`;
    add("verify", <Tinted tint={v.passed ? "green" : "red"}>{line(`verify: ${how} at ${clock(v.at)}`)}</Tinted>);
  }
  if (task.completionSignals.length > 0)
    add("signals", <Text>{line(`signals: ${describeSignals(task.completionSignals)}`)}</Text>);
  for (const [i, text] of (extras.logTail ?? []).entries()) {
    add(`log${i}`, <Tinted tint="gray">{line(`  │ ${text}`)}</Tinted>);
  }
  if (task.summary) add("summary", <Text>{line(`summary: ${task.summary}`)}</Text>);
  if (extras.error) add("extras", <Tinted tint="yellow">{line(extras.error)}</Tinted>);
  const room = Math.max(1, height - 1);
  return (
    <Box flexDirection="column">
      <Text>
        <Tinted bold>{`${task.planId} ${task.title}`}</Tinted>{" "}
        <Tinted tint={look.tint}>{`${look.icon} ${task.status}`}</Tinted> {task.role} · {task.id}
      </Text>
      {lines.slice(0, room).map(({ key, node }) => (
        <Box key={key}>{node}</Box>
      ))}
    </Box>
  );
}

function AttemptLine({ attempt, width }: { attempt: AttemptTrace; width: number }) {
  const took = attempt.finishedAt ? Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt) : null;
  const files = attempt.files === null ? "" : ` ${attempt.files} file${attempt.files === 1 ? "" : "s"}`;
  const why = attempt.error
    ? `: ${attempt.error.code}: ${attempt.error.message}`
    : attempt.conflicts.length
      ? `: ${attempt.conflicts.join(", ")}`
      : "";
  const bad = attempt.outcome === "failed" || attempt.outcome === "conflicted" || attempt.outcome === "cancelled";
  const tint = bad ? "red" : attempt.outcome === "succeeded" ? "green" : undefined;
  const text = `  #${attempt.n} ${shortModel(attempt.model)} ${attempt.outcome}${files} ${duration(took)}${why}`;
  return <Tinted tint={tint}>{fit(text, width).trimEnd()}</Tinted>;
}
