import { type BernsteinClient, loadRunState, watchRunState } from "@bernstein/client";
import { isTerminalRunStatus, noRunnerNotice, runFigures } from "@bernstein/core";
import { EXIT } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { openMonitor } from "../monitor/open-monitor.js";
import { createOutput, type Output } from "../output/output.js";
import { printActivity, printRunState, runStateJson } from "../run/run-state-text.js";
import { watchRunnerNotice } from "../run/runner-notice-watch.js";
import { ensureStack } from "../stack/ensure-stack.js";
import { defineCommand } from "./define.js";
import { openRepo } from "./repo-context.js";
import { selectRunId } from "./select-run.js";
import { JSON_OPTION, STACK_OPTIONS } from "./shared-options.js";

interface CloudStatusOptions {
  json?: boolean;
  watch?: boolean;
  stateDir?: string;
}

export const cloudStatusCommand = defineCommand<CloudStatusOptions>({
  path: ["cloud", "status"],
  description:
    "Watch a run: the live monitor on a terminal (without RUN it lists the runs to pick from); elsewhere a plain table, or one line per event with --watch; --json prints the reduced run state",
  args: [
    { name: "run", description: "the run id (default: pick one on a terminal, else the newest)", required: false },
  ],
  options: [
    { flags: "--watch", description: "follow the run live until it ends (off a terminal: one line per event)" },
    JSON_OPTION,
    ...STACK_OPTIONS,
  ],
  examples: [
    { command: "bernstein cloud status", description: "open the monitor and pick a run (a table when piped)" },
    { command: "bernstein cloud status r_0123456789ab --watch | tee run.log", description: "one line per event" },
    {
      command: "bernstein cloud status r_0123456789ab --json",
      description: "the reduced state as JSON: {id, status, tasks, figures, activity, ...}",
    },
    {
      command: "bernstein cloud status r_0123456789ab --watch --json",
      description: "one JSON line per event: {seq, type, taskId, text, figures}",
    },
  ],
  async handler([run], options, { io, debug }) {
    const out = createOutput(io, { json: options.json });
    const { root, paths } = await openRepo(io, options.stateDir);
    const { client } = await ensureStack({ io, root, paths, out, debug, cloud: options });
    if (io.tty && !out.json) {
      const outcome = await openMonitor(io, client, { runId: run });
      return outcome.reason === "interrupted" ? EXIT.interrupted : EXIT.ok;
    }
    const runId = await selectRunId(client, run);
    if (options.watch) return watchPlain(io, out, client, runId);
    const spinner = out.spinner(`Reading run ${runId}…`);
    const [state, runners] = await Promise.all([
      loadRunState(client, runId, io.signal),
      client.runnerStatus(runId),
    ]).finally(() => spinner.stop());
    // Work that only a runner can do waits, and none is connected: say so, not silence.
    const noRunner = isTerminalRunStatus(state.status) ? null : noRunnerNotice(runners);
    if (out.json) {
      out.data({ ...runStateJson(state, Date.now()), runners: { connected: runners.connected, ...runners.waiting } });
    } else {
      printRunState(out, state, Date.now());
      if (noRunner) out.print(out.color.yellow(`⚠ ${noRunner}`));
    }
    return EXIT.ok;
  },
});

/**
 * `--watch` off a terminal: a line (or a JSON line) per event until the run ends, then the
 * table. Between the events, "⚠ no runner connected: …" whenever work waits for a runner and
 * none is connected (as the monitor and plain `cloud status` show it; not in the JSON lines).
 */
async function watchPlain(io: CliIo, out: Output, client: BernsteinClient, runId: string): Promise<number | undefined> {
  let printed = 0;
  let last: WatchedState | undefined;
  const notices = out.json
    ? null
    : watchRunnerNotice(client, runId, (notice) => {
        if (!last || !isTerminalRunStatus(last.status)) out.print(out.color.yellow(`⚠ ${notice}`));
      });
  try {
    for await (const { state } of watchRunState(client, runId, { signal: io.signal })) {
      last = state;
      if (isTerminalRunStatus(state.status)) notices?.stop();
      printed = printEvents(io, out, state, printed);
    }
  } finally {
    notices?.stop();
  }
  if (io.signal.aborted) return undefined;
  if (last && !out.json) {
    out.print("");
    printRunState(out, last, Date.now());
  }
  return EXIT.ok;
}

type WatchedState = Parameters<typeof printRunState>[1];

/** The activity entries after `printed`, as lines or JSON lines; returns the last seq printed. */
function printEvents(io: CliIo, out: Output, state: WatchedState, printed: number): number {
  if (!out.json) return printActivity((line) => out.print(line), state, printed, out.color, { quiet: true });
  let seq = printed;
  for (const entry of state.activity) {
    if (entry.seq <= seq) continue;
    seq = entry.seq;
    io.stdout.write(`${JSON.stringify({ ...entry, figures: runFigures(state, Date.now()) })}\n`);
  }
  return seq;
}
