import { type CostReport, formatUsd, isTerminalTaskStatus, type RunView } from "@bernstein/core";

/** The model calls of a run's agents seen so far: how many, and what they cost. */
export interface TurnTally {
  turns: number;
  usd: number;
}

/** The agents' turns of a run and their cost, from its cost report (planning's call is not a turn). */
export function turnTally(report: Pick<CostReport, "tasks">): TurnTally {
  return report.tasks.reduce((tally, task) => ({ turns: tally.turns + task.calls, usd: tally.usd + task.usd }), {
    turns: 0,
    usd: 0,
  });
}

export interface BudgetPauseSummary {
  lines: string[];
  /** What to add to go on: the estimate, at least the waiting call's worst case, rounded up to a cent. */
  suggestedUsd: number;
  command: string;
}

/**
 * What `run --wait` says about a budget pause, computed now from the run as it is (never a
 * stored message): spent, budget, an estimate of what the unfinished tasks need from the run's
 * own mean cost per turn, and the command that continues it.
 */
export function budgetPauseSummary(run: RunView, tally: TurnTally): BudgetPauseSummary {
  const budget = run.budgetUsd ?? 0;
  const needed = typeof run.error?.details?.neededUsd === "number" ? run.error.details.neededUsd : 0;
  const lines = [`Run ${run.id} paused: spent ${formatUsd(run.spentUsd)} of its ${formatUsd(budget)} budget.`];
  let estimate = needed;
  if (run.tasks.length === 0) {
    lines.push(`Planning waits: its call may cost up to ${formatUsd(needed)}.`);
  } else {
    const unfinished = run.tasks.filter((task) => !isTerminalTaskStatus(task.status)).length;
    const started = run.tasks.filter((task) => task.attempt > 0).length;
    if (tally.turns > 0 && started > 0) {
      const perTurn = tally.usd / tally.turns;
      const turnsPerTask = Math.max(1, Math.round(tally.turns / started));
      estimate = unfinished * turnsPerTask * perTurn;
      lines.push(
        `The ${unfinished} unfinished task${unfinished === 1 ? "" : "s"} need about ${formatUsd(estimate)} more (${turnsPerTask} turn${turnsPerTask === 1 ? "" : "s"} a task at ${formatUsd(perTurn)} a turn, this run's mean); the next call may cost up to ${formatUsd(needed)}.`,
      );
    } else {
      lines.push(`The next call may cost up to ${formatUsd(needed)}.`);
    }
  }
  const suggestedUsd = Math.max(0.01, Math.ceil(Math.max(estimate, needed) * 100 - 1e-9) / 100);
  const command = `bernstein budget ${run.id} --add ${suggestedUsd}`;
  lines.push(`Continue it: ${command}   (or stop it: bernstein cancel ${run.id})`);
  return { lines, suggestedUsd, command };
}
