import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";
import { RUN_OPTION, resolveTaskRef, TASK_ARG_DESCRIPTION } from "./task-ref.js";

interface ApproveOptions {
  run?: string;
  json?: boolean;
  stateDir?: string;
}

export const approveCommand = defineCommand<ApproveOptions>({
  path: ["approve"],
  description: "Approve a verified task that waits for approval: it is merged (re-verified if the tree moved)",
  args: [{ name: "task", description: TASK_ARG_DESCRIPTION, required: true }],
  options: [RUN_OPTION, JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein approve t_0123456789ab", description: "merge a task that waits in pending_approval" },
    { command: "bernstein approve t2", description: "the task of plan id t2 in the newest run" },
  ],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(out, await client.approveTask(await resolveTaskRef(client, task as string, options.run)), "Approved");
    return 0;
  },
});
