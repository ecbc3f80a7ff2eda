import { toBernsteinError } from "@bernstein/core";
import type { PostedResult } from "./events.js";
import { isLeaseLost } from "./heartbeat.js";
import { type RetryOptions, withRetries } from "./retry.js";

/** The two calls that end a job. */
export interface ReportApi {
  uploadLog(jobId: string, text: string): Promise<void>;
  postResult(jobId: string, result: PostedResult): Promise<void>;
}

export type ReportOutcome = { kind: "posted" } | { kind: "lost"; reason: string };

/**
 * Uploads the log, then posts the result (the stack reads the log when the result arrives).
 * Transient failures are retried; a 409 means another runner holds the job now: nothing more
 * is sent and the outcome says so.
 */
export async function reportResult(
  api: ReportApi,
  jobId: string,
  log: string,
  result: PostedResult,
  retry: RetryOptions = {},
): Promise<ReportOutcome> {
  try {
    await withRetries(() => api.uploadLog(jobId, log), retry);
    await withRetries(() => api.postResult(jobId, result), retry);
    return { kind: "posted" };
  } catch (error) {
    const failure = toBernsteinError(error);
    if (isLeaseLost(failure)) return { kind: "lost", reason: failure.message };
    throw error;
  }
}
