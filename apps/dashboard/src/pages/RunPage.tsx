import type { RunState } from "@bernstein/core";
import { lazy, Suspense } from "react";
import { ActivityFeed } from "../components/ActivityFeed.js";
import { ErrorBoundary } from "../components/ErrorBoundary.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Header } from "../components/Header.js";
import { RunHeader } from "../components/RunHeader.js";
import { TaskTable } from "../components/TaskTable.js";
import { useRunState } from "../hooks/use-run-state.js";

// The graph, the plot and the task page (diff viewer, highlighter) load after the run page's
// first paint: the table is what a user reads first, and the rest is most of the code.
const DependencyGraph = lazy(() => import("../components/DependencyGraph.js"));
const SpendPlot = lazy(() => import("../components/SpendPlot.js"));
const TaskPage = lazy(() => import("./TaskPage.js"));

/**
 * A run, followed live: the header and, either the run's tasks (table, graph, plot, activity)
 * or one task of it. Both share one event stream, so opening a task keeps the run live.
 */
export function RunPage({ runId, taskId }: { runId: string; taskId?: string | undefined }) {
  const { state, live, error } = useRunState(runId);
  return (
    <>
      <Header live={state ? live : undefined} />
      <main id="main" tabIndex={-1}>
        {error ? <ErrorNotice error={error} /> : null}
        {!state ? (
          error ? null : (
            <p aria-busy="true">Loading run {runId}…</p>
          )
        ) : (
          <>
            <RunHeader state={state} />
            {taskId ? (
              <ErrorBoundary what="the task">
                <Suspense fallback={<p aria-busy="true">Loading the task…</p>}>
                  <TaskPage state={state} taskId={taskId} />
                </Suspense>
              </ErrorBoundary>
            ) : (
              <RunBody state={state} />
            )}
          </>
        )}
      </main>
    </>
  );
}

function RunBody({ state }: { state: RunState }) {
  return (
    <div className="run-body">
      <section aria-labelledby="tasks-title" className="panel wide">
        <h2 id="tasks-title">Tasks</h2>
        <p className="sub hide-narrow">
          <kbd>↑</kbd> <kbd>↓</kbd> (or <kbd>j</kbd> <kbd>k</kbd>) move between tasks, <kbd>Enter</kbd> opens one,{" "}
          <kbd>Esc</kbd> comes back.
        </p>
        <TaskTable state={state} />
      </section>
      <section aria-labelledby="graph-title" className="panel wide">
        <h2 id="graph-title">Dependency graph</h2>
        <ErrorBoundary what="the graph">
          <Suspense fallback={<p aria-busy="true">Laying out the graph…</p>}>
            <DependencyGraph state={state} />
          </Suspense>
        </ErrorBoundary>
      </section>
      <section aria-labelledby="plot-title" className="panel">
        <h2 id="plot-title">Spend and merged tasks over time</h2>
        <ErrorBoundary what="the plot">
          <Suspense fallback={<p aria-busy="true">Drawing the plot…</p>}>
            <SpendPlot state={state} />
          </Suspense>
        </ErrorBoundary>
      </section>
      <section aria-labelledby="activity-title" className="panel">
        <h2 id="activity-title">Activity</h2>
        <ActivityFeed state={state} />
      </section>
    </div>
  );
}
