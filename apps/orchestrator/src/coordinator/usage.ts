import { costOf, planInstanceId, roundUsd, type UsageEntry } from "@bernstein/core";
import { settleSpend } from "./budget.js";
import type { Ctx } from "./context.js";

/**
 * A model call's usage: a cost row, the attempt's, task's and run's totals, the reservation
 * settled. The same call again (a replayed step) is recorded once. Usage that arrives after
 * the run ended (a call in flight at a cancel) is recorded as rows without an event: the
 * terminal `run.status` stays the run's last event.
 */
export function recordUsage(c: Ctx, entry: UsageEntry): void {
  const { tx } = c;
  const runId = tx.run.id;
  const attempt = entry.instanceId === planInstanceId(runId) ? undefined : tx.attempt(entry.instanceId);
  const usd = costOf(entry.model, entry.usage);
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = entry.usage;
  const recorded = tx.recordCost({
    runId,
    taskId: attempt?.taskId ?? null,
    attemptId: attempt?.id ?? null,
    step: entry.step,
    model: entry.model,
    tokensIn: inputTokens,
    tokensOut: outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd: usd,
    at: tx.now,
  });
  if (!recorded) return;
  if (attempt) {
    tx.patchAttempt(attempt.id, {
      turns: attempt.turns + 1,
      tokensIn: attempt.tokensIn + inputTokens,
      tokensOut: attempt.tokensOut + outputTokens,
      tokensCached: attempt.tokensCached + cacheReadTokens,
      costUsd: roundUsd(attempt.costUsd + usd),
    });
    const task = tx.task(attempt.taskId);
    tx.patchTask(task.id, { costUsd: roundUsd(task.costUsd + usd) });
  }
  tx.patchRun({ spentUsd: roundUsd(tx.run.spentUsd + usd) });
  // A call in flight when the run ended: its usage counts (the rows above), but no event
  // follows the run's terminal one.
  if (!tx.ended) {
    tx.emit("cost", attempt?.taskId ?? null, {
      instance: entry.instanceId,
      step: entry.step,
      model: entry.model,
      tokensIn: inputTokens,
      tokensOut: outputTokens,
      usd,
      runSpentUsd: tx.run.spentUsd,
    });
  }
  settleSpend(c, `${entry.instanceId}/${entry.step}`);
}
