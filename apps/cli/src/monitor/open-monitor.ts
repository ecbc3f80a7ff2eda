import type { BernsteinClient } from "@bernstein/client";
import { BernsteinError } from "@bernstein/core";
import type { MonitorOutcome } from "@bernstein/tui";
import type { CliIo } from "../io.js";
import { shouldColor } from "../output/colors.js";

/**
 * Opens the live monitor (`@bernstein/tui`) on the terminal; resolves when the user leaves it or,
 * with `exitWhenDone`, when the run ends. Ink is loaded only here, so other commands start fast.
 */
export async function openMonitor(
  io: CliIo,
  client: BernsteinClient,
  options: { runId?: string | undefined; exitWhenDone?: boolean },
): Promise<MonitorOutcome> {
  if (!io.tty) throw new BernsteinError("internal", "the monitor needs a terminal");
  const { renderMonitor } = await import("@bernstein/tui");
  return renderMonitor({
    api: client,
    runId: options.runId,
    exitWhenDone: options.exitWhenDone ?? false,
    color: shouldColor(io.tty.stdout, io.env),
    stdout: io.tty.stdout,
    stdin: io.tty.stdin,
    signal: io.signal,
  });
}
