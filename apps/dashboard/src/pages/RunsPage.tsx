import type { RunSummary } from "@bernstein/core";
import { Link } from "wouter";
import { client } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useListKeys } from "../hooks/use-list-keys.js";
import { useLoad } from "../hooks/use-load.js";
import { useNow } from "../hooks/use-now.js";
import { age, usd } from "../lib/format.js";

const REFRESH_MS = 5_000;

/** Every run of the stack, newest first: status, progress, spend, age (refreshed every 5 s). */
export function RunsPage() {
  const now = useNow(true, REFRESH_MS);
  // Each tick loads the list again; the last list stays on screen meanwhile.
  const runs = useLoad(() => client.listRunSummaries(), [now]);
  const onKeyDown = useListKeys();
  if (runs.error && !runs.data) return <ErrorNotice error={runs.error} />;
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      {runs.error ? <ErrorNotice error={runs.error} what="refreshing the list failed" /> : null}
      {!runs.data ? (
        <p aria-busy="true">Loading runs…</p>
      ) : runs.data.length === 0 ? (
        <p>
          No runs yet. Start one with <code>bernstein run --goal "..."</code>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="runs" onKeyDown={onKeyDown}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Spend</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <RunRow key={run.id} run={run} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunRow({ run, now }: { run: RunSummary; now: number }) {
  const { total, merged, unmerged } = run.progress;
  return (
    <tr data-run={run.id}>
      <td>
        <Link href={`/runs/${run.id}`} data-nav="">
          <span className="mono">{run.id}</span>
        </Link>
        <div className="goal">{run.goal}</div>
      </td>
      <td>
        <StatusBadge status={run.status} run />
      </td>
      <td>
        <ProgressBar
          value={merged}
          max={total}
          label={`${merged}/${total} merged${unmerged > 0 ? `, ${unmerged} not merged` : ""}`}
        />
      </td>
      <td className="num">
        {usd(run.spentUsd)}
        {run.budgetUsd === null ? "" : ` of ${usd(run.budgetUsd)}`}
      </td>
      <td>
        <time dateTime={run.createdAt} title={run.createdAt}>
          {age(run.createdAt, now)}
        </time>
      </td>
    </tr>
  );
}
