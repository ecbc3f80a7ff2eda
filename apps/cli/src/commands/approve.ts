import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";

interface ApproveOptions {
  json?: boolean;
  stateDir?: string;
}

export const approveCommand = defineCommand<ApproveOptions>({
  path: ["approve"],
  description: "Approve a verified task that waits for approval: it is merged (re-verified if the tree moved)",
  args: [{ name: "task", description: "the task id (t_...)", required: true }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein approve t_0123456789ab", description: "merge a task that waits in pending_approval" },
  ],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(out, await client.approveTask(task as string), "Approved");
    return 0;
  },
});
