import { BernsteinError, isBudgetPause } from "@bernstein/core";
import type { CloudFlags } from "../cloud/target.js";
import { EXIT } from "../exit-codes.js";
import { openMonitor } from "../monitor/open-monitor.js";
import { createOutput } from "../output/output.js";
import { reportBudgetPause } from "../run/ask-budget.js";
import { type Follow, runFailure, waitAndPull } from "../run/finish-run.js";
import { checkModelsOfStack } from "../run/preflight.js";
import { commandPolicyOf, readProjectConfig, verifySettings } from "../run/project-config.js";
import { readPlanFile } from "../run/read-plan.js";
import { startRun } from "../run/start-run.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { collect, parseModel, parsePositiveInt, parseUsd } from "./option-parsers.js";
import { openRepo } from "./repo-context.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface RunOptions extends CloudFlags {
  goal: string;
  plan?: string;
  budget?: number;
  maxAgents?: number;
  model?: string;
  verify?: string[];
  approveAll?: boolean;
  dirty?: boolean;
  wait?: boolean;
  json?: boolean;
  config?: string;
  /** Commander's negated `--no-commands`: false turns `run_command` off. */
  commands?: boolean;
}

export const runCommand = defineCommand<RunOptions>({
  path: ["run"],
  description:
    "Start a run on this repo: snapshot it, upload what the stack lacks, plan the goal into tasks and let the agents work (starts a local stack if none answers)",
  options: [
    { flags: "--goal <text>", description: "what the run should achieve", required: true },
    { flags: "--plan <file>", description: "a ready plan (JSON {tasks:[...]}); skips the planning call" },
    { flags: "--budget <usd>", description: "stop spending at this many US dollars", parse: parseUsd },
    { flags: "--max-agents <n>", description: "agents working at the same time", parse: parsePositiveInt },
    {
      flags: "--model <provider/model>",
      description: "model for the agents, e.g. anthropic/claude-sonnet-4-5",
      parse: parseModel,
    },
    {
      flags: "--verify <cmd>",
      description:
        "command that must pass for a task's result (repeatable; default: verify.commands of bernstein.json)",
      parse: collect,
    },
    {
      flags: "--no-commands",
      description:
        "the agents may not run commands on a runner (no run_command tool; default: agent.commands of bernstein.json)",
    },
    { flags: "--approve-all", description: "every task waits for `bernstein approve` before it merges" },
    { flags: "--dirty", description: "include uncommitted changes (they become the result branch's first commit)" },
    {
      flags: "--wait",
      description:
        "follow the run to its end (the live monitor on a terminal, progress lines elsewhere), then write the result as branch bernstein/<run-id>",
    },
    {
      flags: "--config <file>",
      description: "the project settings to use instead of bernstein.json at the repo root (JSON with comments)",
    },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    {
      command: 'bernstein run --goal "Add input validation to the API" --wait',
      description: "run and wait for the branch",
    },
    {
      command: 'bernstein run --goal "Refactor auth" --budget 5 --max-agents 3',
      description: "start with limits, return at once",
    },
    {
      command: "bernstein run --goal \"Apply the plan\" --plan plan.json --verify 'npm test' --wait --json",
      description: "a ready plan, verified, JSON at the end",
    },
    { command: 'bernstein run --goal "Finish my change" --dirty --wait', description: "include uncommitted work" },
  ],
  async handler(_args, options, { io, debug }) {
    if (!options.goal || options.goal.trim() === "") {
      throw new BernsteinError("usage", "--goal is required (what should the run achieve?)", {
        details: { fix: 'Give a goal: bernstein run --goal "Add a power function to the calculator"' },
      });
    }
    const out = createOutput(io, { json: options.json });
    // Everything that can be checked here is, before a stack starts or a byte is uploaded.
    const plan = options.plan ? await readPlanFile(io.cwd, options.plan) : undefined;
    const { root, paths } = await openRepo(io, options.stateDir);
    const project = await readProjectConfig(root, { cwd: io.cwd, file: options.config });
    // A deployed stack holds its model keys as secrets: only the local one is checked here.
    if (!options.cloud) await checkModelsOfStack(io.env, paths, { model: options.model, planned: plan !== undefined });
    const { client } = await ensureStack({ io, root, paths, out, debug, autoStart: true, cloud: options });
    const run = await startRun(client, {
      root,
      paths,
      out,
      goal: options.goal,
      dirty: Boolean(options.dirty),
      plan,
      model: options.model,
      budgetUsd: options.budget,
      maxAgents: options.maxAgents,
      // `--verify` replaces the project's `verify.commands` of bernstein.json; the rest of `verify` stays.
      ...verifySettings(project, options.verify),
      // The policy goes with the run; `env` stays with the runner, which reads it from bernstein.json.
      commands: { ...commandPolicyOf(project), enabled: options.commands !== false },
      approveAll: Boolean(options.approveAll),
    });
    if (!options.wait) {
      if (out.json) out.data(run);
      else {
        out.print(`Started run ${out.color.bold(run.id)} (${run.status}).`);
        out.print(`Follow it: bernstein cloud status ${run.id}   Result: bernstein pull ${run.id}`);
      }
      return 0;
    }
    // On a terminal the live monitor follows the run; elsewhere (and with --json) progress lines.
    const monitor = io.tty && !out.json;
    if (!monitor) out.note(`Run ${run.id} started; following it (Ctrl-C stops following, not the run).`);
    const follow: Follow | undefined = monitor
      ? async (runId) => {
          const outcome = await openMonitor(io, client, { runId, exitWhenDone: true });
          return { run: await client.getRun(runId), left: outcome.reason === "ended" ? false : outcome.reason };
        }
      : undefined;
    let outcome = await waitAndPull(client, run, { root, paths, out, signal: io.signal, follow });
    // A budget pause asks (on a terminal) and, given more, follows the run again; else exits 3.
    while (!outcome.left && isBudgetPause(outcome.run)) {
      if (!(await reportBudgetPause(client, outcome.run, { io, out }))) {
        if (out.json) out.data(outcome.run);
        return EXIT.paused;
      }
      outcome = await waitAndPull(client, run, { root, paths, out, signal: io.signal, follow });
    }
    if (out.json) out.data(outcome.run);
    if (outcome.left) return outcome.interrupted ? EXIT.interrupted : EXIT.ok;
    if (outcome.run.status !== "completed") throw runFailure(outcome.run);
    if (!out.json && outcome.pulled) out.print(`Run ${run.id} completed: branch ${outcome.pulled.branch}`);
    return 0;
  },
});
