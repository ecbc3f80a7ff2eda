import { errorCodeOf, isTerminalTaskStatus, parseAttemptInstanceId, TaskStatus } from "@bernstein/core";
import { progressLine, titlesOf } from "../run/progress.js";
import { defineCommand } from "./define.js";
import { parsePositiveInt } from "./option-parsers.js";
import { STACK_OPTIONS } from "./shared-options.js";
import { connect } from "./task-control.js";
import { RUN_OPTION, resolveTaskRef, TASK_ARG_DESCRIPTION } from "./task-ref.js";

interface LogsOptions {
  run?: string;
  attempt?: number;
  follow?: boolean;
  json?: boolean;
  stateDir?: string;
}

export const logsCommand = defineCommand<LogsOptions>({
  path: ["logs"],
  description: "Print a task's verify log (its latest attempt's, or --attempt N's); --follow waits for more",
  args: [{ name: "task", description: TASK_ARG_DESCRIPTION, required: true }],
  options: [
    { flags: "--attempt <n>", description: "the attempt whose log to print", parse: parsePositiveInt },
    {
      flags: "--follow",
      description: "print the task's progress and each verify log as it lands, until the task ends",
    },
    {
      flags: "--json",
      description: "print {taskId, attempt, log} as JSON (with --follow: one JSON line per progress event and per log)",
    },
    RUN_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein logs t_0123456789ab", description: "the latest verify log" },
    { command: "bernstein logs t_0123456789ab --follow", description: "watch the task to its end" },
    { command: "bernstein logs t_0123456789ab --json", description: "the log as JSON, for scripts" },
    { command: "bernstein logs t1 --run r_0123456789ab", description: "the task of plan id t1 in that run" },
  ],
  async handler([taskId], options, { io, debug }) {
    const { client, out } = await connect(io, options, debug);
    const task = await client.getTask(await resolveTaskRef(client, taskId as string, options.run));
    const printLog = (attempt: number, log: string | null) => {
      if (out.json) io.stdout.write(`${JSON.stringify({ taskId: task.id, attempt, log })}\n`);
      else io.stdout.write(log ?? "(no verify log)\n");
    };
    if (!options.follow) {
      printLog(options.attempt ?? task.attempt, await client.taskLogs(task.id, options.attempt));
      return 0;
    }
    if (isTerminalTaskStatus(task.status)) {
      out.note(`Task ${task.id} is ${task.status}; its latest verify log:`);
      printLog(task.attempt, await client.taskLogs(task.id).catch(noLogYet));
      return 0;
    }
    const run = await client.getRun(task.runId);
    const titles = titlesOf(run.tasks);
    for await (const event of client.events(run.id, { after: run.seq, signal: io.signal })) {
      if (event.taskId !== task.id) continue;
      const line = progressLine(event, titles, out.color);
      if (line && out.json) io.stdout.write(`${JSON.stringify({ seq: event.seq, type: event.type, text: line })}\n`);
      else if (line) out.print(line);
      if (event.type === "log" && event.data.kind === "verify" && typeof event.data.instance === "string") {
        const { attempt } = parseAttemptInstanceId(event.data.instance);
        printLog(attempt, await client.taskLogs(task.id, attempt));
      }
      const status = TaskStatus.safeParse(event.data.to);
      if (event.type === "task.status" && status.success && isTerminalTaskStatus(status.data)) return 0;
    }
    return 0;
  },
});

/** A task that never reached verification has no log: say so instead of failing. */
function noLogYet(error: unknown): null {
  if (errorCodeOf(error) === "not_found") return null;
  throw error;
}
