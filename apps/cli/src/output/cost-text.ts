import {
  type BudgetShare,
  type BurnRate,
  type CostReport,
  formatUsd,
  NO_TOKENS,
  type TokenCounts,
} from "@bernstein/core";
import type { Colors } from "./colors.js";
import { formatTable } from "./table.js";

/** The token columns every table of `bernstein cost` ends its figures with. */
export const TOKEN_HEADERS = ["IN", "OUT", "CACHE READ", "CACHE WRITE"] as const;

/** A token count with thousands separators: `12,345`. */
export function formatTokens(count: number): string {
  return count.toLocaleString("en-US");
}

/** The four token cells of a row: in, out, cache read, cache write. */
export function tokenCells(tokens: TokenCounts | undefined): string[] {
  const t = tokens ?? NO_TOKENS;
  return [t.in, t.out, t.cacheRead, t.cacheWrite].map(formatTokens);
}

/** `12,345 in, 678 out, 9,000 cache read, 0 cache write`. */
export function tokensText(tokens: TokenCounts): string {
  const [input, output, read, write] = tokenCells(tokens);
  return `${input} in, ${output} out, ${read} cache read, ${write} cache write`;
}

/** Seconds of runner time: `12.3 s`. */
export function runnerTime(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

/** A share of the budget as a percentage: `12.5%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** `$0.012 of $0.05 (24.0%)`, or what was spent and that the run has no budget. */
export function budgetText(budget: BudgetShare): string {
  if (budget.budgetUsd === null || budget.share === null) return `${formatUsd(budget.spentUsd)} spent, no budget set`;
  return `${formatUsd(budget.spentUsd)} of ${formatUsd(budget.budgetUsd)} (${formatShare(budget.share)})`;
}

/** `$0.0024/min over the last 5 min ($0.012)`. */
export function burnText(burn: BurnRate): string {
  const window = burn.windowSeconds % 60 === 0 ? `${burn.windowSeconds / 60} min` : `${burn.windowSeconds} s`;
  return `${formatUsd(burn.usdPerMinute)}/min over the last ${window} (${formatUsd(burn.usd)})`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The summary lines over the tables: tokens, budget share (a run's report) and burn rate. */
function summaryLines(report: CostReport): string[] {
  const lines = [`tokens:  ${tokensText(report.tokens)}`];
  if (report.budget) lines.push(`budget:  ${budgetText(report.budget)}`);
  if (report.burn) lines.push(`burn:    ${burnText(report.burn)}`);
  return lines;
}

function sortedByCost(by: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(by).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The ROLE and MODEL tables: spend and tokens of each. */
function breakdowns(report: CostReport): string[] {
  const tables: string[] = [];
  for (const [title, usdBy, tokensBy] of [
    ["ROLE", report.byRole, report.tokensBy.role],
    ["MODEL", report.byModel, report.tokensBy.model],
  ] as const) {
    const rows = sortedByCost(usdBy).map(([name, value]) => [name, formatUsd(value), ...tokenCells(tokensBy[name])]);
    if (rows.length > 0) tables.push(formatTable([title, "COST", ...TOKEN_HEADERS], rows));
  }
  return tables;
}

/** `bernstein cost RUN`: the run's totals, then its tasks, their attempts, roles and models. */
export function runCostText(runId: string, report: CostReport, color: Colors): string {
  const head = `${color.bold(runId)}: ${formatUsd(report.totalUsd)} in ${plural(report.calls, "model call")}, ${runnerTime(report.runnerSeconds.total)} of runner time`;
  const tables: string[] = [];
  const taskRows = report.tasks.map((task) => [
    task.planId,
    task.id,
    task.role,
    formatUsd(task.usd),
    String(task.calls),
    ...tokenCells(task.tokens),
    runnerTime(task.runnerSeconds),
    task.title,
  ]);
  if (taskRows.length > 0) {
    tables.push(formatTable(["TASK", "ID", "ROLE", "COST", "CALLS", ...TOKEN_HEADERS, "RUNNER", "TITLE"], taskRows));
  }
  const attemptRows = report.tasks.flatMap((task) =>
    task.attempts.map((a) => [
      task.planId,
      `#${a.n}`,
      formatUsd(a.usd),
      String(a.calls),
      ...tokenCells(a.tokens),
      runnerTime(a.runnerSeconds),
    ]),
  );
  if (attemptRows.length > 0) {
    tables.push(formatTable(["TASK", "ATTEMPT", "COST", "CALLS", ...TOKEN_HEADERS, "RUNNER"], attemptRows));
  }
  return [[head, ...summaryLines(report)].join("\n"), ...tables, ...breakdowns(report)].join("\n\n");
}

/** What `bernstein cost` (every run) shows of one run besides its figures. */
export interface RunLabel {
  status: string;
  goal: string;
}

/** `bernstein cost`: every run of the stack with its spend and tokens, then roles and models. */
export function stackCostText(
  report: CostReport,
  runs: ReadonlyMap<string, RunLabel>,
  paintStatus: (status: string) => string,
): string {
  const count = Object.keys(report.byRun).length;
  const head = `${formatUsd(report.totalUsd)} over ${plural(count, "run")} in ${plural(report.calls, "model call")}, ${runnerTime(report.runnerSeconds.total)} of runner time`;
  const rows = sortedByCost(report.byRun).map(([id, usd]) => {
    const run = runs.get(id);
    return [
      id,
      run ? paintStatus(run.status) : "?",
      formatUsd(usd),
      ...tokenCells(report.tokensBy.run[id]),
      runnerTime(report.runnerSeconds.byRun[id] ?? 0),
      run?.goal.replace(/\s+/g, " ") ?? "",
    ];
  });
  const tables =
    rows.length > 0 ? [formatTable(["RUN", "STATUS", "COST", ...TOKEN_HEADERS, "RUNNER", "GOAL"], rows)] : [];
  return [[head, ...summaryLines(report)].join("\n"), ...tables, ...breakdowns(report)].join("\n\n");
}
