import { describeSignals, shownTaskStatus, formatUsd as usd } from "@bernstein/core";
import { createOutput } from "../output/output.js";
import { formatTable } from "../output/table.js";
import { statusColor } from "../run/progress.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { newestRunId } from "./select-run.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface TasksOptions {
  json?: boolean;
  stateDir?: string;
}

export const tasksCommand = defineCommand<TasksOptions>({
  path: ["tasks"],
  description: "List the tasks of a run (the newest run when none is named)",
  args: [{ name: "run", description: "the run id (default: the newest run)", required: false }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein tasks", description: "tasks of the newest run" },
    { command: "bernstein tasks r_0123456789ab --json", description: "one run's tasks as JSON" },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client } = await ensureStack({ io, root, paths, out, debug, cloud: options });
    const runId = run ?? (await newestRunId(client));
    if (runId === undefined) {
      // Nothing to list is not an error: scripts get an empty list.
      if (out.json) out.data([]);
      else out.print('No runs on this stack yet; start one with `bernstein run --goal "..."`.');
      return 0;
    }
    const [tasks, view] = await Promise.all([client.listTasks(runId), client.getRun(runId)]);
    if (out.json) {
      out.data({ runId, tasks });
      return 0;
    }
    if (tasks.length === 0) {
      out.print(`Run ${runId} has no tasks yet.`);
      return 0;
    }
    const rows = [...tasks]
      .sort((a, b) => a.order - b.order)
      .map((t) => [
        t.id,
        t.planId,
        statusColor(shownTaskStatus(view, t), out.color),
        String(t.attempt),
        usd(t.costUsd),
        t.title,
        describeSignals(t.completionSignals) || "-",
      ]);
    out.print(formatTable(["TASK", "PLAN", "STATUS", "ATTEMPT", "COST", "TITLE", "SIGNALS"], rows));
    return 0;
  },
});
