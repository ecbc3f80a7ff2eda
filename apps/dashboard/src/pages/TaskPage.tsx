import type { Attempt, RunState } from "@bernstein/core";
import { useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { client } from "../api.js";
import { AttemptTable } from "../components/AttemptTable.js";
import { DiffPanel } from "../components/DiffPanel.js";
import { ErrorLine, ErrorNotice } from "../components/ErrorNotice.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { type Tab, Tabs } from "../components/Tabs.js";
import { TaskActions } from "../components/TaskActions.js";
import { TranscriptPanel } from "../components/TranscriptPanel.js";
import { VerifyPanel } from "../components/VerifyPanel.js";
import { useLoad } from "../hooks/use-load.js";

/**
 * One task of the live run: what it is, its controls, its attempts (model, tokens, cost,
 * duration) and, for the chosen attempt, the patch as a diff, the transcript and the verify
 * log. The attempts are read again whenever the event stream moves the task.
 */
export default function TaskPage({ state, taskId }: { state: RunState; taskId: string }) {
  const task = state.tasks.find((t) => t.id === taskId);
  const [, navigate] = useLocation();
  const moved = task ? `${task.version}:${task.attempts.map((a) => a.outcome).join(",")}` : "";
  const view = useLoad(() => client.getTask(taskId), [taskId, moved]);
  const [chosen, setChosen] = useState<number | undefined>(undefined);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || (event.target as HTMLElement).matches("input, textarea")) return;
      navigate(`/runs/${state.id}`);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, state.id]);

  if (!task)
    return (
      <p className="error">
        Run {state.id} has no task {taskId}.
      </p>
    );
  const attempts = view.data?.attempts ?? [];
  const attempt: Attempt | undefined = attempts.find((a) => a.n === chosen) ?? attempts[attempts.length - 1];
  const byId = new Map(state.tasks.map((t) => [t.id, t]));

  const tabs: Tab[] = attempt
    ? [
        { id: "diff", label: "Diff", render: () => <DiffPanel attempt={attempt} /> },
        { id: "transcript", label: "Transcript", render: () => <TranscriptPanel attempt={attempt} /> },
        {
          id: "verify",
          label: "Verify log",
          render: () => <VerifyPanel taskId={task.id} attempt={attempt} verifying={state.verifyCommands.length > 0} />,
        },
      ]
    : [];

  return (
    <article className="task-page" aria-labelledby="task-title">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href={`/runs/${state.id}`}>← All tasks of the run</Link> <kbd>Esc</kbd>
      </nav>
      <div className="run-title">
        <h2 id="task-title">{task.title}</h2>
        <StatusBadge status={task.status} />
      </div>
      <p className="sub">
        <span className="mono">{task.id}</span> · plan id <span className="mono">{task.planId}</span> · role {task.role}
        {task.approvalRequired ? " · needs approval" : ""}
      </p>
      <p>{task.description}</p>
      {task.dependsOn.length > 0 ? (
        <p>
          Depends on:{" "}
          {task.dependsOn.map((id, i) => (
            <span key={id}>
              {i > 0 ? ", " : ""}
              <Link href={`/runs/${state.id}/tasks/${id}`}>{byId.get(id)?.title ?? id}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {task.ownedFiles.length > 0 ? (
        <p>
          Owns: <span className="mono">{task.ownedFiles.join(", ")}</span>
        </p>
      ) : null}
      {task.summary ? <p className="summary">Summary: {task.summary}</p> : null}
      {task.error ? <ErrorLine error={task.error} /> : null}
      <TaskActions task={task} />

      <section aria-labelledby="attempts-title" className="panel wide">
        <h3 id="attempts-title">Attempts</h3>
        {view.error ? <ErrorNotice error={view.error} /> : null}
        {attempts.length === 0 ? (
          <p>{view.loading ? "Loading…" : "No attempt yet."}</p>
        ) : (
          <AttemptTable attempts={attempts} chosen={attempt?.n} onChoose={setChosen} />
        )}
      </section>
      {attempt ? (
        <section aria-label={`Attempt ${attempt.n}`} className="panel wide">
          <Tabs key={attempt.id} tabs={tabs} label={`Attempt ${attempt.n}`} />
        </section>
      ) : null}
    </article>
  );
}
