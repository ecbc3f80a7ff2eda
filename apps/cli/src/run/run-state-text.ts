import {
  type ActivityEntry,
  currentOutage,
  isTerminalRunStatus,
  type RunFigures,
  type RunState,
  runFigures,
  shownTaskStatus,
  taskElapsedMs,
} from "@bernstein/core";
import { clock, duration, usd } from "@bernstein/tui/format";
import type { Colors } from "../output/colors.js";
import type { Output } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { statusColor } from "./progress.js";

/** `cloud status --json`: the reduced state (a RunView superset) with the figures every view shows. */
export function runStateJson(state: RunState, nowMs: number): RunState & { figures: RunFigures } {
  return { ...state, figures: runFigures(state, nowMs) };
}

/** The one-line summary of a run's figures: the monitor's header as text. */
export function figuresLine(state: RunState, nowMs: number, c: Colors): string {
  const f = runFigures(state, nowMs);
  const budget = f.budgetUsd === null ? "no budget" : `of ${usd(f.budgetUsd)}`;
  const unmerged = f.unmerged > 0 ? ` (${f.unmerged} not merged)` : "";
  return `${c.bold(state.id)}  ${statusColor(state.status, c)}  ${f.merged}/${f.total} merged${unmerged}  ${usd(f.spentUsd)} ${budget}  agents ${f.running}/${f.maxAgents}  elapsed ${duration(f.elapsedMs)}`;
}

/** Prints a run as plain text: its figures, then one row per task (the monitor's table). */
export function printRunState(out: Output, state: RunState, nowMs: number): void {
  const c = out.color;
  out.print(figuresLine(state, nowMs, c));
  out.print(`goal:    ${state.goal}`);
  out.print(`model:   ${state.model} (planner ${state.plannerModel})`);
  out.print(`started: ${state.createdAt}${state.finishedAt ? `, finished ${state.finishedAt}` : ""}`);
  if (state.error) out.print(`error:   ${state.error.code}: ${state.error.message.replace(/\s*\n\s*/g, " ")}`);
  const outage = isTerminalRunStatus(state.status) ? undefined : currentOutage(state.activity);
  if (outage && !state.error) out.print(c.yellow(`⚠ ${outage}`));
  if (state.tasks.length === 0) {
    out.print("No tasks yet: the plan is being made.");
    return;
  }
  out.print("");
  const rows = state.tasks.map((t) => [
    t.planId,
    t.id,
    statusColor(shownTaskStatus(state, t), c),
    String(t.attempt),
    t.role,
    t.model ?? "-",
    duration(taskElapsedMs(t, nowMs)),
    usd(t.costUsd),
    t.title,
  ]);
  out.print(formatTable(["TASK", "ID", "STATUS", "ATTEMPT", "ROLE", "MODEL", "ELAPSED", "COST", "TITLE"], rows));
}

/** One activity entry as a progress line: `[HH:MM:SS] text`, coloured by its tone. */
export function activityLine(entry: ActivityEntry, c: Colors): string {
  const paint = { ok: c.green, bad: c.red, warn: c.yellow, info: (t: string) => t, quiet: c.dim }[entry.tone];
  return `${c.dim(`[${clock(entry.at)}]`)} ${paint(entry.text)}`;
}

/** Prints the activity entries after `printedSeq` (chatter only when `quiet`); returns the last seq printed. */
export function printActivity(
  print: (line: string) => void,
  state: RunState,
  printedSeq: number,
  c: Colors,
  options: { quiet?: boolean } = {},
): number {
  let last = printedSeq;
  for (const entry of state.activity) {
    if (entry.seq <= printedSeq) continue;
    last = entry.seq;
    if (entry.tone === "quiet" && !options.quiet) continue;
    print(activityLine(entry, c));
  }
  return last;
}
