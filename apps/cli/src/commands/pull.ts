import { loadBlobHashCache } from "../git/hash-cache.js";
import { pullRun } from "../git/pull.js";
import { createOutput } from "../output/output.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface PullOptions {
  branch?: string;
  force?: boolean;
  json?: boolean;
  stateDir?: string;
}

export const pullCommand = defineCommand<PullOptions>({
  path: ["pull"],
  description:
    "Write a run's result into this repo as branch bernstein/<run-id>, one commit per merged task, without touching the working tree, the index or the current branch",
  args: [{ name: "run", description: "the run id (r_...)", required: true }],
  options: [
    { flags: "--branch <name>", description: "branch to write (default bernstein/<run-id>)" },
    { flags: "--force", description: "move the branch if it already exists" },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein pull r_0123456789ab", description: "write branch bernstein/r_0123456789ab" },
    {
      command: "bernstein pull r_0123456789ab --branch feature/validation --force",
      description: "write (or move) another branch",
    },
  ],
  async handler([runId], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client } = await ensureStack({ io, root, paths, out, debug, cloud: options });
    const spinner = out.spinner("Writing the result…");
    const pulled = await pullRun(client, {
      root,
      runId: runId as string,
      branch: options.branch,
      force: options.force,
      cache: await loadBlobHashCache(paths.cacheDir),
    }).finally(() => spinner.stop());
    if (out.json) {
      out.data(pulled);
      return 0;
    }
    if (pulled.upToDate) {
      out.print(
        `Branch ${out.color.bold(pulled.branch)} already holds this result (at ${pulled.head.slice(0, 12)}); nothing to do.`,
      );
      return 0;
    }
    out.print(`Wrote branch ${out.color.bold(pulled.branch)} at ${pulled.head.slice(0, 12)}:`);
    for (const commit of pulled.commits) out.print(`  ${commit.sha.slice(0, 12)} ${commit.title}`);
    if (pulled.status !== "completed") out.note(`note: run ${runId} is ${pulled.status}; this is its result so far.`);
    out.print(`Look at it with \`git log ${pulled.branch}\` or \`git switch ${pulled.branch}\`.`);
    return 0;
  },
});
