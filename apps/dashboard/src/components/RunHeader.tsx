import { isTerminalRunStatus, type RunState, runFigures } from "@bernstein/core";
import { Link } from "wouter";
import { useNow } from "../hooks/use-now.js";
import { duration, usd } from "../lib/format.js";
import { ErrorLine } from "./ErrorNotice.js";
import { ProgressBar } from "./ProgressBar.js";
import { RunActions } from "./RunActions.js";
import { StatusBadge } from "./StatusBadge.js";

/** The run's header: status, elapsed, spend against budget, agents busy, merged tasks, controls. */
export function RunHeader({ state }: { state: RunState }) {
  const ended = isTerminalRunStatus(state.status);
  const now = useNow(!ended);
  const f = runFigures(state, now);
  const overBudget = f.budgetShare !== null && f.budgetShare >= 1;
  return (
    <section className="run-header" aria-labelledby="run-title">
      <div className="run-title">
        <h1 id="run-title">
          <Link href={`/runs/${state.id}`} className="mono">
            {state.id}
          </Link>
        </h1>
        <StatusBadge status={state.status} run />
      </div>
      <p className="goal">{state.goal}</p>
      {state.error ? <ErrorLine error={state.error} /> : null}
      <dl className="figures">
        <div>
          <dt>Elapsed</dt>
          <dd data-figure="elapsed">{duration(f.elapsedMs)}</dd>
        </div>
        <div>
          <dt>Spend</dt>
          <dd data-figure="spend">
            {f.budgetUsd === null ? (
              `${usd(f.spentUsd)} (no budget)`
            ) : (
              <ProgressBar
                value={f.spentUsd}
                max={f.budgetUsd}
                tone={overBudget ? "bad" : "active"}
                label={`${usd(f.spentUsd)} of ${usd(f.budgetUsd)}`}
              />
            )}
          </dd>
        </div>
        <div>
          <dt>Agents busy</dt>
          <dd data-figure="agents">
            {f.running} of {f.maxAgents}
          </dd>
        </div>
        <div>
          <dt>Merged</dt>
          <dd data-figure="merged">
            <ProgressBar
              value={f.merged}
              max={f.total}
              tone="ok"
              label={`${f.merged}/${f.total}${f.unmerged > 0 ? ` (${f.unmerged} not merged)` : ""}`}
            />
          </dd>
        </div>
        {f.awaitingApproval > 0 ? (
          <div>
            <dt>Awaiting approval</dt>
            <dd data-figure="approvals">{f.awaitingApproval}</dd>
          </div>
        ) : null}
      </dl>
      {ended ? null : <RunActions state={state} />}
    </section>
  );
}
