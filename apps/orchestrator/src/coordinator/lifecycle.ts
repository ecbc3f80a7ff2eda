import { type TaskStatus, TERMINAL_TASK_STATUSES } from "@bernstein/core";
import type { Ctx, Tx } from "./context.js";
import type { LoadedRun } from "./loaded-run.js";
import { runVerdict, verdictPending } from "./queue/verification.js";

const BLOCKABLE: ReadonlySet<TaskStatus> = new Set(["planned", "open"]);

/** A task ended without merging: every task waiting on it, directly or not, is blocked. */
export function blockDependents(tx: Tx, state: LoadedRun, taskId: string): void {
  const queue = [...state.dependentsOf(taskId)];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (!BLOCKABLE.has(tx.task(id).status)) continue;
    tx.setTaskStatus(id, "blocked", {}, { because: taskId });
    queue.push(...state.dependentsOf(id));
  }
}

/** Tasks named in the error of a failed run (a run of thousands names the first ones). */
const NAMED_UNMERGED = 20;

/**
 * Ends the run once every task is terminal: completed when all merged, failed otherwise, with
 * the verification verdict (result tree against base) when the run verifies. A baseline of
 * the base snapshot still running is waited for: its result ends the run.
 */
export async function finishIfDone(c: Ctx): Promise<void> {
  const { tx } = c;
  if (tx.run.status !== "running") return;
  const total = tx.taskCount();
  if (tx.count(TERMINAL_TASK_STATUSES) < total) return;
  if (verdictPending(c)) return;
  const verification = await runVerdict(c);
  const verdict = verification ? { verification } : {};
  const unmergedCount = total - tx.count("merged");
  if (unmergedCount === 0) {
    tx.setRunStatus("completed", verdict);
    return;
  }
  const unmerged = tx.tasks().filter((t) => t.status !== "merged");
  const named = unmerged.slice(0, NAMED_UNMERGED).map((t) => `${t.title} (${t.status})`);
  if (unmerged.length > named.length) named.push(`and ${unmerged.length - named.length} more`);
  tx.setRunStatus("failed", {
    ...verdict,
    error: { code: "run_failed", message: `${unmergedCount} of ${total} tasks did not merge: ${named.join(", ")}` },
  });
}
