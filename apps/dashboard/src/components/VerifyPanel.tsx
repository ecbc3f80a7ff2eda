import type { Attempt } from "@bernstein/core";
import { client } from "../api.js";
import { useLoad } from "../hooks/use-load.js";
import { failingTests } from "../lib/failing-tests.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { Scrollable } from "./Scrollable.js";

/** The attempt's verify log (`bernstein logs TASK --attempt N`) and the failing tests it names. */
export function VerifyPanel({ taskId, attempt, verifying }: { taskId: string; attempt: Attempt; verifying: boolean }) {
  const log = useLoad(() => client.taskLogs(taskId, attempt.n), [taskId, attempt.n, attempt.status]);
  if (!verifying) return <p>This run has no verify commands.</p>;
  if (log.error) {
    if (log.error.code === "not_found") return <p>Attempt {attempt.n} has no verify log yet.</p>;
    return <ErrorNotice error={log.error} what="reading the verify log failed" />;
  }
  if (log.data === undefined) return <p aria-busy="true">Loading the verify log…</p>;
  const failing = failingTests(log.data);
  return (
    <div>
      <h4>Failing tests</h4>
      {failing.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="failing">
          {failing.map((name) => (
            <li key={name}>
              <span aria-hidden="true">✖</span> {name}
            </li>
          ))}
        </ul>
      )}
      <h4>Log</h4>
      <Scrollable className="log" label="Verify log">
        <pre>{log.data}</pre>
      </Scrollable>
    </div>
  );
}
