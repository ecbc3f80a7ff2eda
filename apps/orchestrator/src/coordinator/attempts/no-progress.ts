import type { ErrorJson } from "@bernstein/core";
import type { Ctx } from "../context.js";

/**
 * No-progress detection: a task's failed patches and failure signatures are remembered, so the
 * same patch again, or the same failure twice, stops the loop instead of paying for another
 * attempt.
 */

/** The attempt's patch is one an earlier attempt of the task failed with: no progress. */
export function repeatsFailedPatch(c: Ctx, taskId: string, patchSha256: string): boolean {
  return c.tx.memory.progress[taskId]?.patches.includes(patchSha256) ?? false;
}

/** Remembers a failed attempt's patch, so the same patch again is caught as no progress. */
export function rememberFailedPatch(c: Ctx, taskId: string, patchSha256: string | null): void {
  if (!patchSha256) return;
  const progress = progressOf(c, taskId);
  if (!progress.patches.includes(patchSha256)) progress.patches.push(patchSha256);
}

/** Records a failure; true when the task failed the same way before. */
export function repeatsFailure(c: Ctx, taskId: string, error: ErrorJson): boolean {
  const progress = progressOf(c, taskId);
  const signature = `${error.code}\n${error.message}`;
  const repeated = progress.failures.includes(signature);
  progress.failures.push(signature);
  return repeated;
}

export function noProgress(message: string): ErrorJson {
  return { code: "no_progress", message };
}

function progressOf(c: Ctx, taskId: string): { patches: string[]; failures: string[] } {
  const existing = c.tx.memory.progress[taskId];
  if (existing) return existing;
  const created = { patches: [], failures: [] };
  c.tx.memory.progress[taskId] = created;
  return created;
}
