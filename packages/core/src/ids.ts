import { BernsteinError } from "./errors.js";

/** Run ids look like `r_` + 12 lowercase letters or digits; task ids `t_` + 12. */
export const RUN_ID_PATTERN = /^r_[a-z0-9]{12}$/;
export const TASK_ID_PATTERN = /^t_[a-z0-9]{12}$/;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Makes an id from random bytes (the caller supplies them, so core needs no crypto). */
export function makeId(prefix: "r" | "t" | "j" | "x", randomBytes: Uint8Array): string {
  if (randomBytes.length < 12) throw new RangeError("makeId needs 12 random bytes");
  let out = `${prefix}_`;
  for (let i = 0; i < 12; i++) out += ALPHABET[(randomBytes[i] as number) % ALPHABET.length];
  return out;
}

/**
 * The deterministic Workflow instance id of a task attempt: `<run>-<task>-a<n>`. Creating the
 * same attempt twice names the same instance, so a retried create never starts a duplicate.
 */
export function attemptInstanceId(runId: string, taskId: string, attempt: number): string {
  return `${runId}-${taskId}-a${attempt}`;
}

/** Reverses `attemptInstanceId`. */
export function parseAttemptInstanceId(id: string): { runId: string; taskId: string; attempt: number } {
  const m = /^(r_[a-z0-9]{12})-(t_[a-z0-9]{12})-a(\d+)$/.exec(id);
  if (!m) throw new BernsteinError("bad_request", `"${id}" is not an attempt id`);
  return { runId: m[1] as string, taskId: m[2] as string, attempt: Number(m[3]) };
}
