import { z } from "zod";
import { IsoTime } from "./common.js";

/** A registered runner; `connected` when it was seen within `RUNNER_CONNECTED_SECONDS`. */
export const RunnerInfo = z.object({
  id: z.string(),
  name: z.string(),
  labels: z.array(z.string()),
  lastSeenAt: IsoTime.nullable(),
  connected: z.boolean(),
});
export type RunnerInfo = z.infer<typeof RunnerInfo>;

/**
 * `GET /v1/runners[?run=RUN]`: the registered runners, how many are connected, and the jobs
 * waiting for one (of the run, or of every run): agents' commands and verifications.
 */
export const RunnerStatus = z.object({
  runners: z.array(RunnerInfo),
  connected: z.number().int().nonnegative(),
  waiting: z.object({ commands: z.number().int().nonnegative(), verifications: z.number().int().nonnegative() }),
});
export type RunnerStatus = z.infer<typeof RunnerStatus>;

/** The `problem` of a command refused because no runner is connected (the coordinator's word). */
export const NO_RUNNER_CONNECTED = "no runner connected";

/** How a user starts a runner (the CLI's names; `bernstein dev` starts one with its stack). */
export const START_RUNNER_HINT = "start one with `bernstein runner` (`--cloud` for a deployed stack)";

/**
 * The line a monitor or `cloud status` shows while jobs wait and no runner is connected, else
 * null (silence is right only when nothing waits, or a runner will pick the jobs up).
 */
export function noRunnerNotice(status: RunnerStatus): string | null {
  const { commands, verifications } = status.waiting;
  if (status.connected > 0 || commands + verifications === 0) return null;
  const parts = [
    commands > 0 ? `${commands} command${commands === 1 ? "" : "s"}` : "",
    verifications > 0 ? `${verifications} verification${verifications === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return `${NO_RUNNER_CONNECTED}: ${parts.join(" and ")} waiting; ${START_RUNNER_HINT}`;
}
