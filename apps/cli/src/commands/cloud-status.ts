import type { RunView } from "@bernstein/core";
import type { Output } from "../output/output.js";
import { createOutput } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { statusColor } from "../run/progress.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { selectRunId } from "./select-run.js";
import { JSON_OPTION, STATE_DIR_OPTION } from "./shared-options.js";

interface CloudStatusOptions {
  json?: boolean;
  stateDir?: string;
}

export const cloudStatusCommand = defineCommand<CloudStatusOptions>({
  path: ["cloud", "status"],
  description: "Show a run and its tasks (the newest run when none is named); --json prints the API's RunView",
  args: [{ name: "run", description: "the run id (default: the newest run)", required: false }],
  options: [JSON_OPTION, STATE_DIR_OPTION],
  examples: [
    { command: "bernstein cloud status", description: "the newest run" },
    {
      command: "bernstein cloud status r_0123456789ab --json",
      description: "one run as JSON: {id, status, tasks, ...}",
    },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client } = await ensureStack({ io, root, paths, out, debug });
    const view = await client.getRun(await selectRunId(client, run));
    if (out.json) out.data(view);
    else printRun(out, view);
    return 0;
  },
});

function printRun(out: Output, run: RunView): void {
  const c = out.color;
  const budget = run.budgetUsd === null ? "no budget" : `budget $${run.budgetUsd.toFixed(2)}`;
  out.print(`${c.bold(run.id)}  ${statusColor(run.status, c)}  $${run.spentUsd.toFixed(4)} spent, ${budget}`);
  out.print(`goal:    ${run.goal}`);
  out.print(`model:   ${run.model} (planner ${run.plannerModel}), up to ${run.maxAgents} agents`);
  out.print(`started: ${run.createdAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ""}`);
  if (run.error) out.print(`error:   ${run.error.code}: ${run.error.message}`);
  if (run.tasks.length === 0) {
    out.print("No tasks yet.");
    return;
  }
  const counts = new Map<string, number>();
  for (const task of run.tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  out.print(`tasks:   ${[...counts].map(([status, n]) => `${n} ${statusColor(status, c)}`).join(", ")}`);
  out.print("");
  const rows = [...run.tasks]
    .sort((a, b) => a.order - b.order)
    .map((t) => [t.id, statusColor(t.status, c), String(t.attempt), `$${t.costUsd.toFixed(4)}`, t.title]);
  out.print(formatTable(["TASK", "STATUS", "ATTEMPT", "COST", "TITLE"], rows));
}
