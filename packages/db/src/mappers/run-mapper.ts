import { defaultCommandPolicy, type Run } from "@bernstein/core";
import type { RunRow, runs } from "../schema.js";

type RunInsert = typeof runs.$inferInsert;

/** A core Run as a `runs` row, with the optional idempotency key of its create request. */
export function runToRow(run: Run, idempotencyKey: string | null = null): RunInsert {
  return {
    id: run.id,
    goal: run.goal,
    status: run.status,
    model: run.model,
    plannerModel: run.plannerModel,
    maxAgents: run.maxAgents,
    maxRetries: run.maxRetries,
    budgetUsd: run.budgetUsd,
    spentUsd: run.spentUsd,
    baseSnapshot: run.baseSnapshot,
    baseCommit: run.baseCommit,
    verifyCommands: run.verifyCommands,
    verifySetup: run.verifySetup,
    verifySetupInputs: run.verifySetupInputs,
    verifyReports: run.verifyReports,
    repository: run.repository,
    verification: run.verification,
    commands: run.commands,
    approveAll: run.approveAll,
    integrationSeq: run.integrationSeq,
    integrationManifest: run.integrationManifest,
    error: run.error,
    idempotencyKey,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
  };
}

/** A `runs` row as a core Run (the idempotency key stays in the table). */
export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    goal: row.goal,
    status: row.status,
    model: row.model,
    plannerModel: row.plannerModel,
    maxAgents: row.maxAgents,
    maxRetries: row.maxRetries,
    budgetUsd: row.budgetUsd,
    spentUsd: row.spentUsd,
    baseSnapshot: row.baseSnapshot,
    baseCommit: row.baseCommit,
    verifyCommands: row.verifyCommands,
    verifySetup: row.verifySetup,
    verifySetupInputs: row.verifySetupInputs,
    verifyReports: row.verifyReports,
    repository: row.repository,
    verification: row.verification,
    commands: row.commands ?? defaultCommandPolicy(),
    approveAll: row.approveAll,
    integrationSeq: row.integrationSeq,
    integrationManifest: row.integrationManifest,
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}

/** The columns a run patch sets; `id` and `createdAt` never change, undefined fields are skipped. */
export function runPatchToRow(patch: Partial<Run>): Partial<RunInsert> {
  return {
    goal: patch.goal,
    status: patch.status,
    model: patch.model,
    plannerModel: patch.plannerModel,
    maxAgents: patch.maxAgents,
    maxRetries: patch.maxRetries,
    budgetUsd: patch.budgetUsd,
    spentUsd: patch.spentUsd,
    baseSnapshot: patch.baseSnapshot,
    baseCommit: patch.baseCommit,
    verifyCommands: patch.verifyCommands,
    verifySetup: patch.verifySetup,
    verifySetupInputs: patch.verifySetupInputs,
    verifyReports: patch.verifyReports,
    repository: patch.repository,
    verification: patch.verification,
    commands: patch.commands,
    approveAll: patch.approveAll,
    integrationSeq: patch.integrationSeq,
    integrationManifest: patch.integrationManifest,
    error: patch.error,
    updatedAt: patch.updatedAt,
    finishedAt: patch.finishedAt,
  };
}
