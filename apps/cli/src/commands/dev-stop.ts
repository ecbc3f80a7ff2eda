import { createOutput } from "../output/output.js";
import { describeLeftovers } from "../stack/leftovers.js";
import { stopStack } from "../stack/stop-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STATE_DIR_OPTION } from "./shared-options.js";

interface DevStopOptions {
  stateDir?: string;
  json?: boolean;
}

export const devStopCommand = defineCommand<DevStopOptions>({
  path: ["dev", "stop"],
  description:
    "Stop the local stack of this repo (started by `bernstein dev` or automatically) and everything it started",
  options: [STATE_DIR_OPTION, JSON_OPTION],
  examples: [
    { command: "bernstein dev stop", description: "stop this repo's stack" },
    { command: "bernstein dev stop --state-dir /tmp/bernstein-state", description: "stop a stack kept elsewhere" },
  ],
  async handler(_args, options, { io }) {
    const out = createOutput(io, { json: options.json });
    const { paths } = await openRepo(io, options.stateDir);
    const outcome = await stopStack(paths);
    const leftovers = outcome.leftovers.map((entry) => ({ role: entry.role, pid: entry.pid }));
    if (out.json) {
      out.data(
        outcome.kind === "none"
          ? { stopped: false, leftovers }
          : { stopped: outcome.kind === "stopped", pid: outcome.info.pid, url: outcome.info.url, leftovers },
      );
      return 0;
    }
    const left =
      outcome.leftovers.length > 0 ? `; stopped what it left running: ${describeLeftovers(outcome.leftovers)}` : "";
    if (outcome.kind === "none")
      out.print(
        left === "" ? "No local stack is running for this repo." : `No local stack is running for this repo${left}.`,
      );
    else if (outcome.kind === "stale")
      out.print(`The stack (pid ${outcome.info.pid}) had already exited${left}; cleaned up.`);
    else
      out.print(
        `Stopped the local stack at ${outcome.info.url} (pid ${outcome.info.pid})${outcome.forced ? " (forced)" : ""}${left}.`,
      );
    return 0;
  },
});
