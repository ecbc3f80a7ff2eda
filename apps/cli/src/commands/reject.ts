import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";
import { RUN_OPTION, resolveTaskRef, TASK_ARG_DESCRIPTION } from "./task-ref.js";

interface RejectOptions {
  run?: string;
  reason?: string;
  json?: boolean;
  stateDir?: string;
}

export const rejectCommand = defineCommand<RejectOptions>({
  path: ["reject"],
  description: "Reject a task that waits for approval: it fails with the reason, and no attempt follows",
  args: [{ name: "task", description: TASK_ARG_DESCRIPTION, required: true }],
  options: [
    { flags: "--reason <text>", description: "why (recorded in the task and the audit chain)" },
    RUN_OPTION,
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: 'bernstein reject t_0123456789ab --reason "breaks the public API"', description: "fail the task" },
    { command: 'bernstein reject t2 --reason "too broad"', description: "the task of plan id t2 in the newest run" },
  ],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(
      out,
      await client.rejectTask(await resolveTaskRef(client, task as string, options.run), options.reason ?? ""),
      "Rejected",
    );
    return 0;
  },
});
