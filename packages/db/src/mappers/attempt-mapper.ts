import type { Attempt } from "@bernstein/core";
import type { AttemptRow, attempts } from "../schema.js";

type AttemptInsert = typeof attempts.$inferInsert;

/** A core Attempt as an `attempts` row. */
export function attemptToRow(attempt: Attempt): AttemptInsert {
  return {
    id: attempt.id,
    runId: attempt.runId,
    taskId: attempt.taskId,
    n: attempt.n,
    status: attempt.status,
    model: attempt.model,
    baseSeq: attempt.baseSeq,
    turns: attempt.turns,
    tokensIn: attempt.tokensIn,
    tokensOut: attempt.tokensOut,
    tokensCached: attempt.tokensCached,
    costUsd: attempt.costUsd,
    patchKey: attempt.patchKey,
    patchSha256: attempt.patchSha256,
    resultManifest: attempt.resultManifest,
    summary: attempt.summary,
    error: attempt.error,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
  };
}

/** An `attempts` row as a core Attempt. */
export function attemptFromRow(row: AttemptRow): Attempt {
  return {
    id: row.id,
    runId: row.runId,
    taskId: row.taskId,
    n: row.n,
    status: row.status,
    model: row.model,
    baseSeq: row.baseSeq,
    turns: row.turns,
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    tokensCached: row.tokensCached,
    costUsd: row.costUsd,
    patchKey: row.patchKey,
    patchSha256: row.patchSha256,
    resultManifest: row.resultManifest,
    summary: row.summary,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The columns an attempt patch sets; `id`, `runId`, `taskId` and `n` never change. */
export function attemptPatchToRow(patch: Partial<Attempt>): Partial<AttemptInsert> {
  return {
    status: patch.status,
    model: patch.model,
    baseSeq: patch.baseSeq,
    turns: patch.turns,
    tokensIn: patch.tokensIn,
    tokensOut: patch.tokensOut,
    tokensCached: patch.tokensCached,
    costUsd: patch.costUsd,
    patchKey: patch.patchKey,
    patchSha256: patch.patchSha256,
    resultManifest: patch.resultManifest,
    summary: patch.summary,
    error: patch.error,
    startedAt: patch.startedAt,
    finishedAt: patch.finishedAt,
  };
}
