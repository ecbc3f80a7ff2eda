import type { Attempt, AuditEvent, CostEvent, Run, RunEvent, Task } from "@bernstein/core";
import { AUDIT_GENESIS, defaultCommandPolicy, makeId } from "@bernstein/core";

/** A fresh id: every test writes its own rows, so tests never see each other's data. */
export function newId(prefix: "r" | "t"): string {
  return makeId(prefix, crypto.getRandomValues(new Uint8Array(12)));
}

export const SHA_A = "a".repeat(64);
export const SHA_B = "b".repeat(64);

/** A run with every nullable field set unless overridden. */
export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: newId("r"),
    goal: "Refactor the auth module",
    status: "running",
    model: "anthropic/claude-sonnet-5-5",
    plannerModel: "openai/gpt-5.4",
    maxAgents: 4,
    maxRetries: 2,
    budgetUsd: 12.5,
    spentUsd: 0.25,
    baseSnapshot: SHA_A,
    baseCommit: "0123456789abcdef0123456789abcdef01234567",
    verifyCommands: ["pnpm test", "pnpm lint"],
    verifySetup: ["pnpm install --frozen-lockfile"],
    verifySetupInputs: null,
    verifyReports: ["reports/*.xml"],
    repository: "git:0123abcd",
    commands: { ...defaultCommandPolicy(), deny: ["git push*"] },
    verification: null,
    approveAll: true,
    integrationSeq: 3,
    integrationManifest: SHA_B,
    error: { code: "budget_exhausted", message: "out of money", details: { spent: 12.5 } },
    createdAt: "2026-11-26T10:00:00.000Z",
    updatedAt: "2026-11-26T10:05:00.000Z",
    finishedAt: "2026-11-26T11:00:00.000Z",
    ...overrides,
  };
}

/** A task of `runId` with every nullable field set unless overridden. */
export function makeTask(runId: string, order: number, overrides: Partial<Task> = {}): Task {
  return {
    id: newId("t"),
    runId,
    planId: `t${order + 1}`,
    title: `Task ${order + 1}`,
    description: "Split the session store out of auth.ts",
    role: "backend",
    priority: 2,
    order,
    status: "planned",
    version: 0,
    dependsOn: [],
    ownedFiles: ["src/auth/**", "test/auth.test.ts"],
    completionSignals: [
      { type: "path_exists", value: "src/auth/session.ts" },
      { type: "file_contains", value: "src/auth/session.ts :: export function" },
    ],
    approvalRequired: false,
    maxCostUsd: 1.5,
    attempt: 0,
    costUsd: 0,
    summary: "moved the store",
    error: null,
    mergedSeq: null,
    createdAt: "2026-11-26T10:00:00.000Z",
    updatedAt: "2026-11-26T10:00:00.000Z",
    ...overrides,
  };
}

/** Attempt `n` of a task. */
export function makeAttempt(task: Pick<Task, "id" | "runId">, n: number, overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: `${task.runId}-${task.id}-a${n}`,
    runId: task.runId,
    taskId: task.id,
    n,
    status: "running",
    model: "anthropic/claude-sonnet-5-5",
    baseSeq: 0,
    turns: 7,
    tokensIn: 12_000,
    tokensOut: 3_400,
    tokensCached: 800,
    costUsd: 0.0912,
    patchKey: `runs/${task.runId}/tasks/${task.id}/a${n}/patch.diff`,
    patchSha256: SHA_A,
    resultManifest: SHA_B,
    summary: "done",
    error: { code: "max_turns", message: "ran out of turns" },
    startedAt: `2026-11-26T10:0${n}:00.000Z`,
    finishedAt: null,
    ...overrides,
  };
}

/** Events 1..count of a run. */
export function makeEvents(runId: string, count: number, from = 1): RunEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    runId,
    seq: from + i,
    at: "2026-11-26T10:00:00.000Z",
    type: i % 2 === 0 ? "task.status" : "log",
    taskId: i % 2 === 0 ? newId("t") : null,
    data: { index: from + i, nested: { ok: true, list: [1, "two", null] } },
  }));
}

/** A cost event; `taskId` null is the planning call. */
export function makeCost(
  runId: string,
  taskId: string | null,
  model: string,
  costUsd: number,
  step?: string,
): CostEvent {
  return {
    runId,
    taskId,
    attemptId: taskId ? `${runId}-${taskId}-a1` : null,
    step: step ?? (taskId ? "turn-1" : "plan"),
    model,
    tokensIn: 1_000,
    tokensOut: 200,
    cacheReadTokens: 50,
    cacheWriteTokens: 10,
    costUsd,
    at: "2026-11-26T10:00:00.000Z",
  };
}

/** Links 1..count of a run's audit chain (the HMACs are fixed strings, not computed). */
export function makeAuditChain(runId: string, count: number): AuditEvent[] {
  const hmac = (seq: number) => seq.toString(16).padStart(64, "0");
  return Array.from({ length: count }, (_, i) => ({
    runId,
    seq: i + 1,
    at: "2026-11-26T10:00:00.000Z",
    actor: "coordinator",
    action: "task.claim",
    data: { task: `t${i + 1}`, reason: "deps merged" },
    prevHmac: i === 0 ? AUDIT_GENESIS : hmac(i),
    hmac: hmac(i + 1),
  }));
}
