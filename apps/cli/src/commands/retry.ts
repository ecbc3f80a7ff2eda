import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";
import { RUN_OPTION, resolveTaskRef, TASK_ARG_DESCRIPTION } from "./task-ref.js";

interface RetryOptions {
  run?: string;
  json?: boolean;
  stateDir?: string;
}

export const retryCommand = defineCommand<RetryOptions>({
  path: ["retry"],
  description: "Retry a failed or blocked task with a fresh set of attempts (a failed run runs again)",
  args: [{ name: "task", description: TASK_ARG_DESCRIPTION, required: true }],
  options: [RUN_OPTION, JSON_OPTION, ...STACK_OPTIONS],
  examples: [
    { command: "bernstein retry t_0123456789ab", description: "try a failed task again" },
    { command: "bernstein retry t3 --run r_0123456789ab", description: "the task of plan id t3 in that run" },
  ],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(out, await client.retryTask(await resolveTaskRef(client, task as string, options.run)), "Retrying");
    return 0;
  },
});
