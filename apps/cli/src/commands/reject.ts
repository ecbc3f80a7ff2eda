import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";

interface RejectOptions {
  reason?: string;
  json?: boolean;
  stateDir?: string;
}

export const rejectCommand = defineCommand<RejectOptions>({
  path: ["reject"],
  description: "Reject a task that waits for approval: it fails with the reason, and no attempt follows",
  args: [{ name: "task", description: "the task id (t_...)", required: true }],
  options: [
    { flags: "--reason <text>", description: "why (recorded in the task and the audit chain)" },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: 'bernstein reject t_0123456789ab --reason "breaks the public API"', description: "fail the task" },
  ],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(out, await client.rejectTask(task as string, options.reason ?? ""), "Rejected");
    return 0;
  },
});
