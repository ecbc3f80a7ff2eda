import type { BernsteinClient } from "@bernstein/client";

/** The part of the API client the monitor uses: reading a run and acting on its tasks. */
export type MonitorApi = Pick<
  BernsteinClient,
  | "getRun"
  | "events"
  | "listRuns"
  | "getTask"
  | "taskLogs"
  | "getArtifact"
  | "cancelTask"
  | "approveTask"
  | "rejectTask"
  | "retryTask"
  | "runnerStatus"
>;
