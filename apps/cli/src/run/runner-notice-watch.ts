import type { BernsteinClient } from "@bernstein/client";
import { noRunnerNotice } from "@bernstein/core";

/** How often a plain watch asks whether a runner is connected (the monitor asks as often). */
export const RUNNER_NOTICE_INTERVAL_MS = 3_000;

export interface RunnerNoticeWatch {
  /** Stops asking (the run ended or the watch stopped). */
  stop(): void;
}

/**
 * For `cloud status --watch` off a terminal: asks `GET /v1/runners?run=` at once and then every
 * `intervalMs`, and calls `print` with "no runner connected: … waiting" each time that line
 * appears or changes (not again while it stays the same). A failed read keeps the last answer:
 * the event stream reports the stack's outages.
 */
export function watchRunnerNotice(
  client: Pick<BernsteinClient, "runnerStatus">,
  runId: string,
  print: (notice: string) => void,
  intervalMs = RUNNER_NOTICE_INTERVAL_MS,
): RunnerNoticeWatch {
  let stopped = false;
  let shown: string | null = null;
  const read = async () => {
    let notice: string | null;
    try {
      notice = noRunnerNotice(await client.runnerStatus(runId));
    } catch {
      return; // kept: the next read tries again
    }
    if (stopped || notice === shown) return;
    shown = notice;
    if (notice !== null) print(notice);
  };
  void read();
  const timer = setInterval(() => void read(), intervalMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
