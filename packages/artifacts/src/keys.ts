import { BernsteinError } from "@bernstein/core";

/** The files one attempt leaves in R2. */
export const ATTEMPT_FILES = ["transcript.jsonl", "patch.diff", "verify.log", "verify.json", "result.json"] as const;
export type AttemptFile = (typeof ATTEMPT_FILES)[number];

// Run and task ids are `r_`/`t_` + 12 chars in production (core's RUN_ID_PATTERN, TASK_ID_PATTERN);
// keys accept any id from this charset so tests and tools may pick readable ids, but never a
// `/`, `.` or anything else that could climb out of the run's prefix.
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Throws `bad_request` unless `sha` is a lowercase hex SHA-256. */
export function assertSha256(sha: string, what = "sha256"): void {
  if (typeof sha !== "string" || !SHA256.test(sha)) {
    throw new BernsteinError("bad_request", `${what} "${String(sha)}" is not a lowercase hex SHA-256`);
  }
}

function id(value: string, what: string): string {
  if (typeof value !== "string" || !SAFE_ID.test(value)) {
    throw new BernsteinError("bad_request", `${what} "${String(value)}" may only use [A-Za-z0-9_-] (1-64 chars)`);
  }
  return value;
}

const STEP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

function stepName(value: string): string {
  if (typeof value !== "string" || !STEP_NAME.test(value) || value.includes("..")) {
    throw new BernsteinError("bad_request", `step name "${String(value)}" may only use [A-Za-z0-9_.-] (1-64 chars)`);
  }
  return value;
}

function counter(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BernsteinError("bad_request", `${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function sha(value: string): string {
  assertSha256(value);
  return value;
}

/** The R2 key layout (docs/internals.md): the only place keys are built. */
export const keys = {
  /** `blobs/<sha>`: file contents, content-addressed. */
  blob: (sha256: string): string => `blobs/${sha(sha256)}`,
  /** `snapshots/<sha>.json`: a manifest, named by the SHA-256 of its canonical JSON. */
  snapshot: (sha256: string): string => `snapshots/${sha(sha256)}.json`,
  /** `runs/<run>/plan.json` */
  plan: (runId: string): string => `runs/${id(runId, "run id")}/plan.json`,
  /** `runs/<run>/tasks/<task>/a<n>/<file>` */
  attempt: (runId: string, taskId: string, n: number, file: AttemptFile): string => {
    if (!(ATTEMPT_FILES as readonly string[]).includes(file)) {
      throw new BernsteinError(
        "bad_request",
        `attempt file "${String(file)}" is not one of ${ATTEMPT_FILES.join(", ")}`,
      );
    }
    return `runs/${id(runId, "run id")}/tasks/${id(taskId, "task id")}/a${counter(n, "attempt")}/${file}`;
  },
  /** `runs/<run>/integration/<seq>.json` (seq 0 is the base snapshot). */
  integration: (runId: string, seq: number): string =>
    `runs/${id(runId, "run id")}/integration/${counter(seq, "integration seq")}.json`,
  /** `runs/<run>/spill/<sha>`: step results too large for a Workflow step. */
  spill: (runId: string, sha256: string): string => `runs/${id(runId, "run id")}/spill/${sha(sha256)}`,
  /** `runs/<run>/journal/<instance>/<step>.json`: a finished step's result, for replays after a restart. */
  journal: (runId: string, instanceId: string, step: string): string =>
    `runs/${id(runId, "run id")}/journal/${id(instanceId, "instance id")}/${stepName(step)}.json`,
  /** `runs/<run>/journal/<instance>/`: where one instance's journal entries are. */
  journalPrefix: (runId: string, instanceId: string): string =>
    `runs/${id(runId, "run id")}/journal/${id(instanceId, "instance id")}/`,
  /** `runs/<run>/commands/<job>.json`: the result of an agent's command (`run_command`). */
  command: (runId: string, jobId: string): string => `runs/${id(runId, "run id")}/commands/${id(jobId, "job id")}.json`,
  /** `runs/<run>/audit.jsonl`: the audit seal written at completion. */
  /** A baseline verification of one of a run's integration trees: its result (checks) and its log. */
  baseline: (runId: string, manifest: string, file: "verify.json" | "verify.log"): string =>
    `runs/${id(runId, "run id")}/trees/${sha(manifest)}/${file}`,
  audit: (runId: string): string => `runs/${id(runId, "run id")}/audit.jsonl`,
} as const;

/**
 * Throws `bad_request` unless `key` is a plausible object key or prefix: relative, no empty,
 * `.` or `..` segments, no backslash or control characters. Generic store methods take keys
 * built by `keys`, and this guards against a caller splicing user input into one.
 */
export function assertKey(key: string, { prefix = false } = {}): void {
  const segments = typeof key === "string" ? key.split("/") : [];
  if (prefix && segments.at(-1) === "") segments.pop();
  const ok =
    typeof key === "string" &&
    key.length > 0 &&
    key.length <= 1024 &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    !/[\\\u0000-\u001f\u007f]/.test(key) &&
    segments.every((s) => s !== "" && s !== "." && s !== "..");
  if (!ok)
    throw new BernsteinError("bad_request", `"${String(key)}" is not a valid artifact ${prefix ? "prefix" : "key"}`);
}
