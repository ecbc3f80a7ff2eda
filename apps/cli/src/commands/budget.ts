import { formatUsd as usd } from "@bernstein/core";
import { statusColor } from "../run/progress.js";
import { defineCommand } from "./define.js";
import { parseUsd } from "./option-parsers.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect } from "./task-control.js";

interface BudgetOptions {
  add: number;
  json?: boolean;
  stateDir?: string;
}

export const budgetCommand = defineCommand<BudgetOptions>({
  path: ["budget"],
  description: "Add money to a run's budget; a run paused at its budget runs again",
  args: [{ name: "run", description: "the run id (r_...)", required: true }],
  options: [
    { flags: "--add <usd>", description: "USD to add to the budget", parse: parseUsd, required: true },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [{ command: "bernstein budget r_0123456789ab --add 5", description: "add $5 and resume a paused run" }],
  async handler([run], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const view = await client.addBudget(run as string, options.add);
    if (out.json) out.data(view);
    else
      out.print(
        `Budget of ${view.id}: ${view.budgetUsd === null ? "none" : usd(view.budgetUsd)} (spent ${usd(view.spentUsd)}); now ${statusColor(view.status, out.color)}`,
      );
    return 0;
  },
});
