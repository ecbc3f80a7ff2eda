import { defineCommand } from "./define.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";
import { connect, printTask } from "./task-control.js";

interface RetryOptions {
  json?: boolean;
  stateDir?: string;
}

export const retryCommand = defineCommand<RetryOptions>({
  path: ["retry"],
  description: "Retry a failed or blocked task with a fresh set of attempts (a failed run runs again)",
  args: [{ name: "task", description: "the task id (t_...)", required: true }],
  options: [JSON_OPTION, ...STACK_OPTIONS],
  examples: [{ command: "bernstein retry t_0123456789ab", description: "try a failed task again" }],
  async handler([task], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    printTask(out, await client.retryTask(task as string), "Retrying");
    return 0;
  },
});
