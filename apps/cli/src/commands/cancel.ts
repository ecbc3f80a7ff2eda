import { BernsteinError, isTerminalRunStatus, RunId, type RunStatus } from "@bernstein/core";
import { statusColor } from "../run/progress.js";
import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";
import { RUN_OPTION, resolveTaskRef } from "./task-ref.js";

interface CancelOptions {
  run?: string;
  json?: boolean;
  stateDir?: string;
}

export const cancelCommand = defineCommand<CancelOptions>({
  path: ["cancel"],
  description: "Cancel a run (every unfinished task) or one task; running agents stop at their next step",
  args: [
    {
      name: "id",
      description: "a run id (r_...), a task id (t_...) or a task's plan id (t1) in --run RUN or the newest run",
      required: true,
    },
  ],
  options: [RUN_OPTION, JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein cancel r_0123456789ab", description: "cancel a whole run" },
    { command: "bernstein cancel t_0123456789ab", description: "cancel one task (its dependents are blocked)" },
    { command: "bernstein cancel t2", description: "cancel the task of plan id t2 in the newest run" },
  ],
  async handler([id], options, { io, debug }) {
    const target = id as string;
    const { client, out } = await connect(io, options, debug);
    if (!RunId.safeParse(target).success) {
      printTask(out, await client.cancelTask(await resolveTaskRef(client, target, options.run)), "Cancelled");
      return 0;
    }
    const before = await client.getRun(target);
    if (before.status === "cancelled") {
      if (out.json) out.data(before);
      else out.print(`Run ${before.id} was already cancelled.`);
      return 0;
    }
    if (isTerminalRunStatus(before.status)) throw nothingToCancel(before.id, before.status);
    const run = await client.cancelRun(target);
    // It ended on its own between the two calls.
    if (run.status !== "cancelled") throw nothingToCancel(run.id, run.status);
    if (out.json) out.data(run);
    else out.print(`Cancelled ${run.id}: now ${statusColor(run.status, out.color)}`);
    return 0;
  },
});

function nothingToCancel(runId: string, status: RunStatus): BernsteinError {
  return new BernsteinError("illegal_transition", `run ${runId} has already ended (${status}); nothing was cancelled`, {
    details: { fix: `\`bernstein pull ${runId}\` writes its result; \`bernstein run\` starts a new one.` },
  });
}
