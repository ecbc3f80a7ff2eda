import { render } from "ink";
import { MonitorApp } from "./components/MonitorApp.js";
import type { MonitorApi } from "./monitor-api.js";
import type { MonitorOutcome } from "./outcome.js";

export interface RenderMonitorOptions {
  /** The stack's API client (`createClient`). */
  api: MonitorApi;
  /** The run to show; without one the monitor lists the runs to pick from. */
  runId?: string | undefined;
  /** Leave once the run has ended (`run --wait`); else stay until `q`. */
  exitWhenDone?: boolean | undefined;
  /** Colours on (pass false for NO_COLOR). */
  color?: boolean | undefined;
  /** The terminal (default: the process's own streams). */
  stdout?: NodeJS.WriteStream | undefined;
  stdin?: NodeJS.ReadStream | undefined;
  /** Aborting leaves the monitor (a signal from outside, e.g. SIGTERM) as `interrupted`. */
  signal?: AbortSignal | undefined;
}

/**
 * Opens the live monitor on a terminal and resolves when the user leaves it (`q`, Ctrl-C) or,
 * with `exitWhenDone`, when the run ends. Rejects when following the run fails for good
 * (e.g. `stack_unreachable` after every reconnect). The run itself goes on either way.
 */
export async function renderMonitor(options: RenderMonitorOptions): Promise<MonitorOutcome> {
  const interrupted: MonitorOutcome = { reason: "interrupted", runId: options.runId ?? null, state: null };
  if (options.signal?.aborted) return interrupted;
  const instance = render(
    <MonitorApp
      api={options.api}
      runId={options.runId}
      exitWhenDone={options.exitWhenDone}
      color={options.color ?? true}
    />,
    {
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
      // Ctrl-C is a key of the monitor (raw mode): it leaves with `interrupted`.
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  const onAbort = () => instance.unmount();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const result = (await instance.waitUntilExit()) as MonitorOutcome | undefined;
    return result ?? interrupted;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
