import type { BernsteinClient } from "@bernstein/client";
import type { TaskView } from "@bernstein/core";
import type { CloudFlags } from "../cloud/target.js";
import type { CliIo } from "../io.js";
import { createOutput, type Output } from "../output/output.js";
import { statusColor } from "../run/progress.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { openRepo } from "./repo-context.js";

/** The stack of the repo the command runs in (never started just to control a task). */
export async function connect(
  io: CliIo,
  options: { json?: boolean } & CloudFlags,
  debug: boolean,
): Promise<{ client: BernsteinClient; out: Output }> {
  const out = createOutput(io, { json: options.json });
  const { root, paths } = await openRepo(io, options.stateDir);
  const { client } = await ensureStack({ io, root, paths, out, debug, cloud: options });
  return { client, out };
}

/** Prints a task after an action: its JSON, or one line with its new status. */
export function printTask(out: Output, task: TaskView, verb: string): void {
  if (out.json) {
    out.data(task);
    return;
  }
  out.print(`${verb} ${task.id} (${task.title}): now ${statusColor(task.status, out.color)}`);
}
