import { EXIT } from "../exit-codes.js";
import { runCostText, stackCostText } from "../output/cost-text.js";
import { createOutput } from "../output/output.js";
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
    "What the model calls cost and the tokens they used (in total and by run, task, attempt, role, planning counting as `planner`, and model), the share of the budget, the spend per minute over the last 5 minutes, and the runners' time",
  args: [{ name: "run", description: "one run (default: every run of the stack)", required: false }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein cost", description: "every run of this repo's stack" },
    { command: "bernstein cost r_0123456789ab", description: "one run, by task, attempt, role and model" },
    {
      command: "bernstein cost r_0123456789ab --json",
      description:
        "{runId, totalUsd, calls, tokens, byRun, byTask, byAttempt, byModel, byRole, tokensBy, tasks, budget, burn, events, runnerSeconds}",
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
    if (run) {
      out.print(runCostText(run, report, out.color));
      return EXIT.ok;
    }
    const runs = new Map((await client.listRuns()).map((r) => [r.id, r]));
    out.print(stackCostText(report, runs, (status) => statusColor(status, out.color)));
    return EXIT.ok;
  },
});
