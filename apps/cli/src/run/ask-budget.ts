import type { BernsteinClient } from "@bernstein/client";
import { formatUsd, type RunView } from "@bernstein/core";
import { readLine, terminalInput } from "../cloud/read-secret.js";
import type { CliIo } from "../io.js";
import type { Output } from "../output/output.js";
import { budgetPauseSummary, turnTally } from "./budget-pause.js";

/**
 * A run paused at its budget, under `run --wait`: says what was spent, the budget, what the
 * rest may need and the command that continues it. On a terminal it offers to add budget;
 * returns true when it did (the caller follows the run again), false to leave it paused.
 */
export async function reportBudgetPause(
  client: BernsteinClient,
  run: RunView,
  context: { io: CliIo; out: Output },
): Promise<boolean> {
  const { io, out } = context;
  const summary = budgetPauseSummary(run, turnTally(await client.cost(run.id)));
  for (const line of summary.lines) {
    if (out.json) out.note(line);
    else out.print(line);
  }
  const input = out.json ? undefined : terminalInput(io);
  if (!input || !io.tty) return false;
  const answer = (
    await readLine(input, io, `Add to the budget and go on? USD (Enter: ${summary.suggestedUsd}; n: leave it paused) `)
  ).trim();
  if (/^n(o)?$/i.test(answer)) return false;
  const addUsd = answer === "" ? summary.suggestedUsd : Number(answer.replace(/^\$/, ""));
  if (!Number.isFinite(addUsd) || addUsd <= 0) {
    out.note(`"${answer}" is not an amount in USD; the run stays paused. Continue it with: ${summary.command}`);
    return false;
  }
  const view = await client.addBudget(run.id, addUsd);
  out.note(`Budget of ${view.id}: ${formatUsd(view.budgetUsd ?? 0)}; following it again.`);
  return true;
}
