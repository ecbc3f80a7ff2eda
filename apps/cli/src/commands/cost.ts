import type { BernsteinClient } from "@bernstein/client";
import type { CostReport } from "@bernstein/core";
import { usd } from "@bernstein/tui/format";
import { EXIT } from "../exit-codes.js";
import { createOutput, type Output } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { statusColor } from "../run/progress.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface CostOptions {
  json?: boolean;
  stateDir?: string;
}

export const costCommand = defineCommand<CostOptions>({
  path: ["cost"],
  description:
    "What the model calls cost (in total and by run, task, role, planning counting as `planner`, and model) and the runners' time",
  args: [{ name: "run", description: "one run (default: every run of the stack)", required: false }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein cost", description: "every run of this repo's stack" },
    { command: "bernstein cost r_0123456789ab", description: "one run, by task, role and model" },
    {
      command: "bernstein cost r_0123456789ab --json",
      description: "{runId, totalUsd, byRun, byTask, byModel, byRole, events, runnerSeconds}",
    },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client } = await ensureStack({ io, root, paths, out, debug, cloud: options });
    const spinner = out.spinner("Adding up the cost…");
    const report = await client.cost(run).finally(() => spinner.stop());
    if (out.json) {
      out.data(run ? { runId: run, ...report } : report);
      return EXIT.ok;
    }
    if (run) await printRunCost(out, client, run, report);
    else await printStackCost(out, client, report);
    return EXIT.ok;
  },
});

async function printRunCost(out: Output, client: BernsteinClient, runId: string, report: CostReport): Promise<void> {
  const tasks = await client.listTasks(runId);
  const runner = report.runnerSeconds;
  out.print(
    `${out.color.bold(runId)}: ${usd(report.totalUsd)} in ${report.events.length} model calls, ${runnerTime(runner.total)} of runner time`,
  );
  const rows = tasks
    .filter((task) => report.byTask[task.id] !== undefined || runner.byTask[task.id] !== undefined)
    .sort((a, b) => (report.byTask[b.id] ?? 0) - (report.byTask[a.id] ?? 0))
    .map((task) => [
      task.planId,
      task.id,
      task.role,
      usd(report.byTask[task.id] ?? 0),
      runnerTime(runner.byTask[task.id] ?? 0),
      task.title,
    ]);
  if (rows.length > 0) out.print(`\n${formatTable(["TASK", "ID", "ROLE", "COST", "RUNNER", "TITLE"], rows)}`);
  printBreakdowns(out, report);
}

async function printStackCost(out: Output, client: BernsteinClient, report: CostReport): Promise<void> {
  const runs = new Map((await client.listRuns()).map((r) => [r.id, r]));
  const count = Object.keys(report.byRun).length;
  out.print(
    `${usd(report.totalUsd)} over ${count} run${count === 1 ? "" : "s"}, ${runnerTime(report.runnerSeconds.total)} of runner time`,
  );
  const rows = sortedByCost(report.byRun).map(([id, usdValue]) => {
    const run = runs.get(id);
    return [id, run ? statusColor(run.status, out.color) : "?", usd(usdValue), run?.goal.replace(/\s+/g, " ") ?? ""];
  });
  if (rows.length > 0) out.print(`\n${formatTable(["RUN", "STATUS", "COST", "GOAL"], rows)}`);
  printBreakdowns(out, report);
}

function printBreakdowns(out: Output, report: CostReport): void {
  for (const [title, by] of [
    ["ROLE", report.byRole],
    ["MODEL", report.byModel],
  ] as const) {
    const rows = sortedByCost(by).map(([name, value]) => [name, usd(value)]);
    if (rows.length > 0) out.print(`\n${formatTable([title, "COST"], rows)}`);
  }
}

function sortedByCost(by: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(by).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function runnerTime(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}
